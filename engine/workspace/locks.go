package workspace

import (
	"context"

	"github.com/novacron/novacron/state"
)

// Locks returns the state locks held now in every workspace of the
// backend, each naming its workspace (state.Backend.Locks).
func (w *Workspace) Locks(ctx context.Context) ([]state.LockInfo, error) {
	locks, err := w.Backend.Locks(ctx)
	return locks, w.redact(err)
}
