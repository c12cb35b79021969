package local

import (
	"context"
	"errors"
	"io/fs"
	"os"

	"github.com/novacron/novacron/state"
)

// Locks returns the locks held now, by workspace. The flock is the truth:
// a lock file whose flock no one holds (left by a holder that died) is not
// a held lock and is not listed. A lock held whose file names no holder is
// listed with only its Path and Workspace.
func (b *Backend) Locks(ctx context.Context) ([]state.LockInfo, error) {
	names, err := b.Workspaces(ctx)
	if err != nil {
		return nil, err
	}
	var locks []state.LockInfo
	for _, name := range names {
		info, held, err := heldLock(b.store(name).path(LockFile))
		if err != nil {
			return nil, err
		}
		if held {
			info.Workspace = name
			locks = append(locks, info)
		}
	}
	return locks, nil
}

// heldLock reports whether someone holds the flock of the lock file at
// path, and what its record says. It probes by taking the flock without
// waiting, and releases it at once.
func heldLock(path string) (state.LockInfo, bool, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return state.LockInfo{}, false, nil
	}
	if err != nil {
		return state.LockInfo{}, false, err
	}
	free, err := flockExclusive(f)
	f.Close()
	if err != nil || free {
		return state.LockInfo{}, false, err
	}
	return readHolder(path, &state.LockedError{Holder: state.LockInfo{Path: path}}).Holder, true, nil
}
