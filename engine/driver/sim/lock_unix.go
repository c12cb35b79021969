//go:build unix

package sim

import (
	"errors"
	"os"
	"syscall"
)

// fileLock is an flock(2) lock on a file. The kernel releases it when the
// holding process dies, so a crash never leaves the cluster locked.
type fileLock struct{ f *os.File }

// tryLock takes an exclusive lock on path without waiting; it returns nil
// and no error when another open file holds the lock.
func tryLock(path string) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if err == nil {
		return &fileLock{f: f}, nil
	}
	f.Close()
	if errors.Is(err, syscall.EWOULDBLOCK) || errors.Is(err, syscall.EINTR) {
		return nil, nil
	}
	return nil, err
}

// release drops the lock. The file stays: removing it would let two
// processes lock two different files of the same name.
func (l *fileLock) release() error { return l.f.Close() }
