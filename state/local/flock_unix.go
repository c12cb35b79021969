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
