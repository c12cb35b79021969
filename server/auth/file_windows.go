//go:build windows

package auth

import (
	"io/fs"
	"os"

	"golang.org/x/sys/windows"
)

// devIno is zero on Windows: size, modification time and mode tell a
// change there.
func devIno(fs.FileInfo) (dev, ino uint64) { return 0, 0 }

// lockFile takes an exclusive lock of f, waiting for it: LockFileEx on one
// byte far past the end of the file (the lock ends with the handle, as a
// flock does).
func lockFile(f *os.File) error {
	ol := &windows.Overlapped{OffsetHigh: 0x7fffffff}
	return windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK, 0, 1, 0, ol)
}
