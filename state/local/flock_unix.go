//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package local

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// flockExclusive takes an exclusive flock on f without waiting. It returns
// false when another open file description holds it.
func flockExclusive(f *os.File) (bool, error) {
	for {
		err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, unix.EWOULDBLOCK):
			return false, nil
		case errors.Is(err, unix.EINTR):
			continue
		default:
			return false, fmt.Errorf("state/local: flock %s: %w", f.Name(), err)
		}
	}
}

// lockDir takes an exclusive flock of the folder dir, waiting for it, and
// returns its release. Writes hold it from their check of the stored
// document to their rename, only.
func lockDir(dir string) (func(), error) {
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	for {
		err = unix.Flock(int(d.Fd()), unix.LOCK_EX)
		if !errors.Is(err, unix.EINTR) {
			break
		}
	}
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("state/local: flock %s: %w", dir, err)
	}
	return func() { d.Close() }, nil
}
