package state_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/state"
)

func shortCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	t.Cleanup(cancel)
	return ctx
}

// Flush waits for everything recorded before it, including changes that
// missed the Write in flight when it was called.
func TestWriterFlushWaitsForLaterWrite(t *testing.T) {
	store := newGatedStore()
	w := state.NewWriter(store, state.New("lin"))
	if err := w.Flush(shortCtx(t)); err != nil {
		t.Fatalf("Flush with nothing recorded: %v", err)
	}
	w.Set("a", testVM(1))
	store.waitEntered(t, 1)
	if err := w.Flush(shortCtx(t)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Flush during a blocked Write = %v, want a deadline error", err)
	}
	w.Set("b", testVM(2)) // misses Write 1
	flushed := make(chan error, 1)
	go func() { flushed <- w.Flush(t.Context()) }()
	store.release <- struct{}{}
	store.waitEntered(t, 2)
	select {
	case err := <-flushed:
		t.Fatalf("Flush returned (%v) before the change it had to wait for was written", err)
	case <-time.After(20 * time.Millisecond):
	}
	store.release <- struct{}{}
	if err := <-flushed; err != nil {
		t.Fatalf("Flush: %v", err)
	}
	doc, _, _ := store.saved()
	if doc.VMs["b"] == nil || doc.Serial != 2 {
		t.Errorf("after Flush the store has serial %d and VMs %v, want serial 2 with b", doc.Serial, doc.Addresses())
	}
	closeWriter(t, w)
}

// A record on its own is appended without writing the document.
func TestWriterFlushHistoryOnly(t *testing.T) {
	store := &fakeStore{}
	w := state.NewWriter(store, state.New("lin"))
	rec := state.HistoryRecord{Kind: "start", RunID: "r"}
	w.Record(rec)
	if err := w.Flush(t.Context()); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	_, hist, writes := store.saved()
	if diff := cmp.Diff([]state.HistoryRecord{rec}, hist); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	if writes != 0 {
		t.Errorf("%d Writes for a history record alone, want 0", writes)
	}
	closeWriter(t, w)
}

func TestWriterPersistError(t *testing.T) {
	boom := errors.New("disk full")
	tests := []struct {
		name       string
		store      *fakeStore
		wantSerial uint64 // in Snapshot after the failure
	}{
		{"write fails", &fakeStore{writeErr: boom}, 0},
		{"append fails", &fakeStore{appendErr: boom}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := state.NewWriter(tt.store, state.New("lin"))
			if err := w.Err(); err != nil {
				t.Fatalf("Err before any persist = %v", err)
			}
			w.Set("a", testVM(1))
			w.Record(state.HistoryRecord{Kind: "start"})
			if err := w.Flush(t.Context()); !errors.Is(err, boom) {
				t.Fatalf("Flush = %v, want %v", err, boom)
			}
			if err := w.Err(); !errors.Is(err, boom) {
				t.Errorf("Err after the failure = %v, want %v", err, boom)
			}
			w.Set("b", testVM(2))
			if err := w.Flush(t.Context()); !errors.Is(err, boom) {
				t.Errorf("second Flush = %v, want the sticky %v", err, boom)
			}
			if err := w.Close(t.Context()); !errors.Is(err, boom) {
				t.Errorf("Close = %v, want %v", err, boom)
			}
			_, _, writes := tt.store.saved()
			snap := w.Snapshot()
			if writes != 1 || snap.Serial != tt.wantSerial || len(snap.VMs) != 2 {
				t.Errorf("after the failure: %d Writes, snapshot serial %d with %v; want 1 Write, serial %d, a and b kept",
					writes, snap.Serial, snap.Addresses(), tt.wantSerial)
			}
		})
	}
}

// Close stops the goroutine even when the store hangs.
func TestWriterCloseGivesUp(t *testing.T) {
	store := newGatedStore()
	w := state.NewWriter(store, state.New("lin"))
	w.Set("a", testVM(1))
	store.waitEntered(t, 1)
	start := time.Now()
	if err := w.Close(shortCtx(t)); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Close with a hung store = %v, want a deadline error", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("Close took %v with a 50ms context", took)
	}
	if err := w.Flush(t.Context()); err == nil {
		t.Errorf("Flush after a Close that gave up reported everything persisted")
	}
}

func TestWriterAfterClosePanics(t *testing.T) {
	w := state.NewWriter(&fakeStore{}, state.New("lin"))
	closeWriter(t, w)
	closeWriter(t, w) // a second Close is harmless
	tests := map[string]func(){
		"Set":     func() { w.Set("a", testVM(1)) },
		"Remove":  func() { w.Remove("a") },
		"Abandon": func() { w.Abandon(state.Ref{ID: "x"}) },
		"Record":  func() { w.Record(state.HistoryRecord{}) },
	}
	for name, f := range tests {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("%s after Close did not panic", name)
				}
			}()
			f()
		})
	}
	if w.Snapshot() == nil {
		t.Errorf("Snapshot after Close returned nil")
	}
}

// The writer keeps its own copies: neither the VM passed to Set nor a
// Snapshot shares memory with it.
func TestWriterCopies(t *testing.T) {
	w := state.NewWriter(&fakeStore{}, state.New("lin"))
	defer closeWriter(t, w)
	vm := testVM(1)
	w.Set("a", vm)
	vm.Tags["env"] = "changed"
	snap := w.Snapshot()
	snap.VMs["a"].DependsOn[0] = "changed"
	snap.VMs["b"] = testVM(2)
	if diff := cmp.Diff(map[string]*state.VM{"a": testVM(1)}, w.Snapshot().VMs); diff != "" {
		t.Errorf("writer's VMs changed through shared memory (-want +got):\n%s", diff)
	}
}

func TestWriterAbandonOnce(t *testing.T) {
	store := &fakeStore{}
	w := state.NewWriter(store, state.New("lin"))
	refs := []state.Ref{{Provider: "p", ID: "1"}, {Provider: "p", ID: "2"}, {Provider: "p", ID: "1"}}
	for _, r := range refs {
		w.Abandon(r)
	}
	closeWriter(t, w)
	doc, _, _ := store.saved()
	if diff := cmp.Diff(refs[:2], doc.Abandoned); diff != "" {
		t.Errorf("Abandoned (-want +got):\n%s", diff)
	}
}
