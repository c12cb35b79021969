//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

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
