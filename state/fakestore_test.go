package state_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/novacron/novacron/state"
)

// fakeStore records what a Writer persists. With gated set, each Write
// announces its serial on entered and waits for a release.
type fakeStore struct {
	gated     bool
	entered   chan uint64
	release   chan struct{}
	writeErr  error
	appendErr error

	mu          sync.Mutex
	doc         *state.State
	hist        []state.HistoryRecord
	writes      int
	inFlight    int
	maxInFlight int
}

var _ state.Store = (*fakeStore)(nil)

func newGatedStore() *fakeStore {
	return &fakeStore{gated: true, entered: make(chan uint64, 10), release: make(chan struct{})}
}

func (f *fakeStore) Write(ctx context.Context, s *state.State) error {
	f.enter()
	defer f.leave()
	if f.gated {
		f.entered <- s.Serial
		select {
		case <-f.release:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.writes++
	if f.writeErr != nil {
		return f.writeErr
	}
	f.doc = s.Clone()
	return nil
}

func (f *fakeStore) enter() {
	f.mu.Lock()
	f.inFlight++
	f.maxInFlight = max(f.maxInFlight, f.inFlight)
	f.mu.Unlock()
}

func (f *fakeStore) leave() {
	f.mu.Lock()
	f.inFlight--
	f.mu.Unlock()
}

func (f *fakeStore) AppendHistory(_ context.Context, recs []state.HistoryRecord) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.appendErr != nil {
		return f.appendErr
	}
	f.hist = append(f.hist, recs...)
	return nil
}

// saved returns copies of what was persisted and how many Writes ran.
func (f *fakeStore) saved() (*state.State, []state.HistoryRecord, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var doc *state.State
	if f.doc != nil {
		doc = f.doc.Clone()
	}
	return doc, append([]state.HistoryRecord(nil), f.hist...), f.writes
}

// waitEntered waits for the Write of the given serial to start.
func (f *fakeStore) waitEntered(t *testing.T, serial uint64) {
	t.Helper()
	select {
	case got := <-f.entered:
		if got != serial {
			t.Fatalf("Write of serial %d started, want serial %d", got, serial)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("no Write of serial %d started", serial)
	}
}

func (f *fakeStore) Read(context.Context) (*state.State, error) {
	doc, _, _ := f.saved()
	return doc, nil
}

func (f *fakeStore) History(context.Context) ([]state.HistoryRecord, error) {
	_, hist, _ := f.saved()
	return hist, nil
}

func (f *fakeStore) Lock(context.Context, state.LockInfo) (string, error) {
	return "", errors.ErrUnsupported
}

func (f *fakeStore) Unlock(string) error { return errors.ErrUnsupported }

func (f *fakeStore) ForceUnlock(string) error { return errors.ErrUnsupported }

func (f *fakeStore) Overwrite(ctx context.Context, s *state.State) error { return f.Write(ctx, s) }
