package local

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/novacron/novacron/state"
)

// Hold takes the flock of the file at path without waiting, as Lock takes
// a workspace's, writes info (its Path, PID and Created filled in) into it,
// and returns its release. When another process holds it, the error is a
// *state.LockedError naming the holder from the file's record. A holder
// that died frees it: the flock goes with its process. `nova-plan serve`
// holds its folder's serve lock so for its lifetime.
func Hold(path string, info state.LockInfo) (release func(), err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("state/local: %w", err)
	}
	info = (&Store{}).completeInfo(info) // an empty Store names no workspace
	info.Path = path
	f, err := tryLock(path)
	if err != nil {
		return nil, err
	}
	if f == nil {
		return nil, readHolder(path, &state.LockedError{Holder: state.LockInfo{Path: path}, Unnamed: "its holder is still writing its record"})
	}
	if err := writeInfo(f, info); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		if isCurrent(f, path) {
			os.Remove(path)
		}
		f.Close()
	}, nil
}
