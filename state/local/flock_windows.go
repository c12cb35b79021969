//go:build windows

package local

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/windows"
)

// Windows has no flock(2): LockFileEx locks a byte range of an open file,
// and the lock ends with the handle, as a flock ends with its descriptor
// (so a lock whose holder died heals the same way). The range locked lies
// far past the end of the file, so that reading the holder's details from
// the lock file is never blocked (LockFileEx's locks are mandatory).
const lockRangeHigh = 0x7fffffff

// lockRange takes the exclusive lock of f's range; wait says whether to
// wait for it. It returns false when another handle holds it and wait is
// false.
func lockRange(f *os.File, wait bool) (bool, error) {
	flags := uint32(windows.LOCKFILE_EXCLUSIVE_LOCK)
	if !wait {
		flags |= windows.LOCKFILE_FAIL_IMMEDIATELY
	}
	ol := &windows.Overlapped{OffsetHigh: lockRangeHigh}
	err := windows.LockFileEx(windows.Handle(f.Fd()), flags, 0, 1, 0, ol)
	switch {
	case err == nil:
		return true, nil
	case !wait && (errors.Is(err, windows.ERROR_LOCK_VIOLATION) || errors.Is(err, windows.ERROR_IO_PENDING)):
		return false, nil
	default:
		return false, fmt.Errorf("state/local: LockFileEx %s: %w", f.Name(), err)
	}
}

// flockExclusive takes f's lock without waiting. It returns false when
// another handle holds it.
func flockExclusive(f *os.File) (bool, error) { return lockRange(f, false) }

// lockDir takes the exclusive lock of the folder dir, waiting for it, and
// returns its release. Windows cannot lock a folder's handle, so the lock
// is taken on a file in it, .dir.lock, which is kept.
func lockDir(dir string) (func(), error) {
	f, err := os.OpenFile(filepath.Join(dir, ".dir.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if _, err := lockRange(f, true); err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}
