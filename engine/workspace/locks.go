package workspace

import (
	"context"
	"errors"
	"time"

	"github.com/novacron/novacron/state"
)

// Locks returns the state locks held now in every workspace of the
// backend, each naming its workspace (state.Backend.Locks).
func (w *Workspace) Locks(ctx context.Context) ([]state.LockInfo, error) {
	locks, err := w.Backend.Locks(ctx)
	return locks, w.redact(err)
}

// waitingLock takes s's lock under ctx. When notify is set and timeout
// allows waiting, it first tries once; if another run holds the lock, it
// tells notify — once, and only then — and waits.
func waitingLock(ctx context.Context, s state.Store, info state.LockInfo, timeout time.Duration, notify func(state.LockInfo, time.Duration)) (string, error) {
	if notify == nil || timeout <= 0 {
		return s.Lock(ctx, info)
	}
	tctx, cancel := context.WithTimeout(ctx, LockWait(0))
	id, err := s.Lock(tctx, info)
	cancel()
	var locked *state.LockedError
	if !errors.As(err, &locked) {
		return id, err
	}
	notify(locked.Holder, timeout)
	return s.Lock(ctx, info)
}
