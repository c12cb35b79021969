package workspace

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"time"

	"github.com/novacron/novacron/state"
)

// Locks returns the state locks held now, each naming its workspace.
//
// Until the workspace opens a state.Backend, only this workspace's store
// is asked: it tries the lock for a moment, and a *state.LockedError names
// the holder (a lock it gets is released at once).
func (w *Workspace) Locks(ctx context.Context) ([]state.LockInfo, error) {
	if _, err := os.Stat(w.DataDir); errors.Is(err, fs.ErrNotExist) {
		return nil, nil // no state folder, so no lock
	}
	lctx, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	defer cancel()
	id, err := w.Store.Lock(lctx, state.LockInfo{Operation: "state locks", Who: Who(), Created: time.Now().UTC()})
	var locked *state.LockedError
	switch {
	case err == nil:
		return nil, w.Store.Unlock(id)
	case errors.As(err, &locked):
		h := locked.Holder
		if h.Workspace == "" {
			h.Workspace = state.DefaultWorkspace
		}
		if locked.Unnamed != "" {
			h.Who = "unknown: " + locked.Unnamed
		}
		return []state.LockInfo{h}, nil
	}
	return nil, err
}
