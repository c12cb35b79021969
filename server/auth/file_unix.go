//go:build unix

package auth

import (
	"errors"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// devIno is the file's device and inode.
func devIno(fi fs.FileInfo) (dev, ino uint64) {
	if st, ok := fi.Sys().(*unix.Stat_t); ok {
		return uint64(st.Dev), st.Ino
	}
	return 0, 0
}

// lockFile takes an exclusive flock of f, waiting for it.
func lockFile(f *os.File) error {
	for {
		err := unix.Flock(int(f.Fd()), unix.LOCK_EX)
		if !errors.Is(err, unix.EINTR) {
			return err
		}
	}
}
