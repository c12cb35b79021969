//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd || windows)

package local

import (
	"errors"
	"os"
)

// flockExclusive is not implemented on this platform: Lock fails rather
// than pretend to lock.
func flockExclusive(*os.File) (bool, error) {
	return false, errors.New("state/local: locking is not supported on this platform")
}

// lockDir does nothing on this platform: writes through one Store are
// still serialized, writes from other processes are not.
func lockDir(string) (func(), error) { return func() {}, nil }
