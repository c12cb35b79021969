package workspace

import (
	"context"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

// Locks returns the state locks held now in every workspace of the
// backend, each naming its workspace (state.Backend.Locks).
//
// Until the workspace opens its configured state.Backend, the local
// backend over the data folder is asked.
func (w *Workspace) Locks(ctx context.Context) ([]state.LockInfo, error) {
	return local.NewBackend(w.DataDir).Locks(ctx)
}
