package exec_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/internal/tmpfs"
	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

// latch is the Recorder the executor sees: the real Writer, noting when Err
// first told the walker that state cannot be saved. Only the walker calls
// Err, on the goroutine that emits EventStarted, so an EventStarted after
// the note is a change started although the walker knew.
type latch struct {
	*state.Writer
	told atomic.Bool
}

func (l *latch) Err() error {
	err := l.Writer.Err()
	if err != nil {
		l.told.Store(true)
	}
	return err
}

// When the disk holding the state fills up, the apply used to go on
// creating VMs no state recorded. Now the walker starts nothing once the
// writer reports the failure, the changes in flight finish, and the
// writer's in-memory document holds every VM that exists.
func TestStateSaveFailureStopsStartingChanges(t *testing.T) {
	d := openSim(t, "a", driver.Config{"latency": 20 * time.Millisecond})
	dir := filepath.Join(t.TempDir(), "state")
	tmpfs.Mount(t, dir, "size=16m,nr_inodes=64")
	rec := &latch{Writer: state.NewWriter(local.New(dir), state.New(lineage))}
	log := &eventLog{}
	ex := &exec.Executor{Drivers: map[string]driver.Driver{"sim.a": d}, Recorder: rec, Events: log.record,
		Options: exec.Options{Parallelism: 4}}
	p, g := graph(t, nil, creates("sim.a", "fleet.web", 200)...)
	var free func()
	late := 0
	log.after = func(ev exec.Event) {
		switch {
		case ev.Kind == exec.EventSucceeded && free == nil && log.count(exec.EventSucceeded) == 5:
			free = tmpfs.FillInodes(t, dir) // no new file from now on: state.json cannot be replaced
		case ev.Kind == exec.EventStarted && rec.told.Load():
			late++
		}
	}

	res := ex.Apply(context.Background(), nil, p, g)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	closeErr := rec.Close(ctx)
	if free == nil {
		t.Fatal("the apply never reached 5 completions")
	}
	if !errors.Is(res.StateErr, syscall.ENOSPC) || !errors.Is(closeErr, syscall.ENOSPC) || res.Interrupted {
		t.Fatalf("StateErr %v, Close %v, Interrupted %v; want ENOSPC from both, not interrupted", res.StateErr, closeErr, res.Interrupted)
	}
	if late > 0 {
		t.Errorf("%d changes started after the walker learned state could not be saved", late)
	}
	if n := res.Count(exec.NotStarted); n < 100 || res.Count(exec.Failed) > 0 {
		t.Errorf("%d changes not started and %d failed; want most of the 200 not started, none failed", n, res.Count(exec.Failed))
	}
	wantAllRecorded(t, d, rec.Snapshot(), res.Count(exec.Succeeded))
	free()
	saved, err := local.New(dir).Read(context.Background())
	if err != nil || saved == nil || len(saved.VMs) >= res.Count(exec.Succeeded) {
		t.Errorf("the state on disk (%v, %v) should lag behind the %d VMs made: the failure came after some were saved",
			saved, err, res.Count(exec.Succeeded))
	}
}

// wantAllRecorded checks that every VM the sim holds is in doc, and that
// there are n of them.
func wantAllRecorded(t *testing.T, d driver.Driver, doc *state.State, n int) {
	t.Helper()
	live := inventory(t, d)
	if len(live) != n || len(doc.VMs) != n {
		t.Errorf("the sim holds %d VMs and the writer's document %d; want the %d that succeeded", len(live), len(doc.VMs), n)
	}
	for addr, vm := range doc.VMs {
		if live[vm.Name].ID != vm.ID {
			t.Errorf("%s is recorded as %s, which the sim does not hold", addr, vm.ID)
		}
	}
}
