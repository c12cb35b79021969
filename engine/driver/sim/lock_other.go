//go:build !unix

package sim

import (
	"errors"
	"io/fs"
	"os"
)

// fileLock is a lock file created exclusively. Without flock(2) the lock of
// a process that dies stays behind; remove the file by hand then.
type fileLock struct{ path string }

// tryLock creates path exclusively; it returns nil and no error when the
// file exists, that is when another process holds the lock.
func tryLock(path string) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	return &fileLock{path: path}, nil
}

// release drops the lock by removing the file.
func (l *fileLock) release() error { return os.Remove(l.path) }
