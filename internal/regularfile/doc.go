// Package regularfile reads the files a user names or a workspace keeps
// (spec files, variable files, saved plans, the state) with a bound on
// their size, and refuses what is not a regular file: /dev/zero, a FIFO
// or a folder would otherwise hang the command or read without end. A
// symbolic link is followed to what it names.
//
// It reads and nothing else: callers decide the bound and the words around
// its errors.
package regularfile
