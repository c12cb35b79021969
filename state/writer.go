package state

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Writer is the single synchronized writer of one workspace's state. Many
// goroutines record changes through it; one background goroutine persists
// them, coalescing: while a Write is in flight new changes accumulate, and
// the next Write carries all of them. There is never more than one Write in
// flight, and each Write is followed by an AppendHistory of the records
// recorded before it started.
//
// When the Store is a DeltaStore, a persist writes only the records that
// changed since the last one (WriteDelta), and the whole document is
// written again (Compact, or Write when more changed) when the store says
// the changes have outgrown it and when the writer closes: the cost of a
// write grows with the change, not with the estate.
//
// Persisting stops at the first error, which Err, Flush and Close then
// return; changes are still recorded in memory, so Snapshot can save them
// elsewhere.
// Set, Remove, Abandon and Record after Close panic: the owner must wait for
// its workers before closing. Close must always be called.
type Writer struct {
	store  Store
	deltas DeltaStore      // store, when it can persist changed records alone
	ctx    context.Context // for store calls; cancelled only when Close gives up
	cancel context.CancelFunc
	wake   chan struct{} // capacity 1: something changed
	urge   chan struct{} // capacity 1: a Flush is waiting
	stop   chan struct{} // closed by Close
	done   chan struct{} // closed when the goroutine returns

	mu    sync.Mutex
	st    *State // live document; its VMs are never modified in place
	dirty bool   // st changed since the last Write started
	// changes lists the records set (a VM) or removed (nil) since the last
	// persist started, in order: appending is all a Set does under mu,
	// and the persist makes the Delta of them outside it.
	changes  []change
	abChange bool // st.Abandoned changed since the last persist started
	// journaled: deltas were written since the last whole document;
	// compact: the store asked for the whole document; closing: Close
	// stopped the goroutine, whose last persists write the whole document.
	journaled, compact, closing bool
	saved                       uint64        // changes up to this gen are persisted
	progress                    chan struct{} // closed and replaced after each persist attempt
	err                         error         // first persist error, sticky
	exited                      bool          // the goroutine returned

	// Record takes recMu alone, not mu: an apply's workers record a change
	// and its history record one after the other, and each lock they
	// queue on costs them. take holds both (mu first).
	recMu   sync.Mutex
	pending []HistoryRecord // guarded by recMu, as spare.recs is

	gen    atomic.Uint64         // counts changes; raised under mu or recMu
	closed atomic.Bool           // Close was called
	failed atomic.Pointer[error] // err, for Err without mu
	// spare holds the emptied slices of the last persist, which the next
	// one's changes and records fill again: 100,000 Sets and Records do not
	// grow a slice by doubling under mu.
	spare struct {
		changes []change
		recs    []HistoryRecord
	}
	shared shared // the copies of tags and dependencies Set made last; used outside mu
}

// change is one entry of Writer.changes: addr set to vm, or removed (nil).
type change struct {
	addr string
	vm   *VM
}

// shared holds the last copies Set made of a VM's tags and dependencies,
// which the next VM with equal ones shares: the VMs of a fleet mostly
// have the same, and the writer never modifies a VM it holds in place
// (Snapshot copies them whole), so 100,000 creates copy a few maps, not
// 100,000. The copies are never modified once made, so Sets compare
// and share them without the writer's mutex; two Sets that miss at once
// both copy, and the last one stored is shared next.
type shared struct {
	lastTags atomic.Pointer[map[string]string]
	lastDeps atomic.Pointer[[]string]
}

// tags returns a copy of m, or the last copy when it is equal; nil for
// nil.
func (s *shared) tags(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	if last := s.lastTags.Load(); last != nil && maps.Equal(m, *last) {
		return *last
	}
	c := maps.Clone(m)
	s.lastTags.Store(&c)
	return c
}

// deps returns a copy of d, or the last copy when it is equal; nil for
// nil.
func (s *shared) deps(d []string) []string {
	if d == nil {
		return nil
	}
	if last := s.lastDeps.Load(); last != nil && slices.Equal(d, *last) {
		return *last
	}
	c := slices.Clone(d)
	s.lastDeps.Store(&c)
	return c
}

// NewWriter starts a writer over s, which it takes ownership of: the caller
// must not use s afterwards (use Snapshot). s must not be nil.
func NewWriter(store Store, s *State) *Writer {
	if s.VMs == nil {
		s.VMs = map[string]*VM{}
	}
	ctx, cancel := context.WithCancel(context.Background())
	w := &Writer{
		store: store, ctx: ctx, cancel: cancel, st: s,
		wake: make(chan struct{}, 1), urge: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}),
		progress: make(chan struct{}),
	}
	w.deltas, _ = store.(DeltaStore)
	go w.run()
	return w
}

// Set records a copy of vm at addr. vm must not be nil. A VM recorded at
// an address is managed, so it is no longer abandoned (an import can take
// back a VM that `state rm` abandoned).
func (w *Writer) Set(addr string, vm *VM) {
	c := *vm // copied, and its tags shared, before taking the mutex
	c.Tags, c.DependsOn = w.shared.tags(vm.Tags), w.shared.deps(vm.DependsOn)
	w.change("Set", func() bool {
		w.st.VMs[addr] = &c
		w.changes = append(w.changes, change{addr, &c})
		if ref := (Ref{Provider: c.Provider, ID: c.ID}); len(w.st.Abandoned) > 0 && slices.Contains(w.st.Abandoned, ref) {
			w.st.Abandoned = slices.DeleteFunc(w.st.Abandoned, func(r Ref) bool { return r == ref })
			w.abChange = true
		}
		return true
	})
}

// Remove forgets addr.
func (w *Writer) Remove(addr string) {
	w.change("Remove", func() bool {
		_, ok := w.st.VMs[addr]
		delete(w.st.VMs, addr)
		if ok {
			w.changes = append(w.changes, change{addr, nil})
		}
		return ok
	})
}

// RemoveIf forgets addr if the state still records the VM id there: a
// delete of a duplicate must not forget the VM the address kept.
func (w *Writer) RemoveIf(addr, id string) {
	w.change("RemoveIf", func() bool {
		vm, ok := w.st.VMs[addr]
		if !ok || vm.ID != id {
			return false
		}
		delete(w.st.VMs, addr)
		w.changes = append(w.changes, change{addr, nil})
		return true
	})
}

// Abandon adds ref to the abandoned VMs, once.
func (w *Writer) Abandon(ref Ref) {
	w.change("Abandon", func() bool {
		if slices.Contains(w.st.Abandoned, ref) {
			return false
		}
		w.st.Abandoned = append(w.st.Abandoned, ref)
		w.abChange = true
		return true
	})
}

// Record queues an audit record; it is appended after the next Write (or
// on its own when nothing else changed).
func (w *Writer) Record(rec HistoryRecord) {
	if w.closed.Load() {
		panic("state: Writer.Record after Close")
	}
	w.recMu.Lock()
	w.pending = append(w.pending, rec)
	w.gen.Add(1)
	w.recMu.Unlock()
	w.notify()
}

// change applies f to the live state under the mutex; f reports whether
// it changed anything.
func (w *Writer) change(op string, f func() bool) {
	w.mu.Lock()
	w.mustBeOpen(op)
	changed := f()
	if changed {
		w.dirty = true
		w.gen.Add(1)
	}
	w.mu.Unlock()
	if changed {
		w.notify()
	}
}

func (w *Writer) mustBeOpen(op string) {
	if w.closed.Load() {
		w.mu.Unlock()
		panic("state: Writer." + op + " after Close")
	}
}

func (w *Writer) notify() {
	select {
	case w.wake <- struct{}{}:
	default: // a wake-up is already pending
	}
}

// Snapshot returns a deep copy of the current in-memory state, including
// changes not persisted yet. Its Serial is that of the last Write.
func (w *Writer) Snapshot() *State {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.st.Clone()
}

// Final returns the live document once Close has returned, without
// copying it: the writer is done with it, and the caller owns it (VMs
// with equal tags may share one map: copy a VM before changing it).
// Before Close it panics.
func (w *Writer) Final() *State {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.exited {
		panic("state: Writer.Final before Close returned")
	}
	return w.st
}

// Err returns the first error persisting met, or nil. From then on nothing
// is persisted: the executor checks Err before it starts each action, and
// stops starting them, and the owner saves Snapshot elsewhere.
func (w *Writer) Err() error {
	if err := w.failed.Load(); err != nil {
		return *err
	}
	return nil
}

// Flush returns once everything recorded before the call is persisted, or
// the first persist error, or ctx's error.
func (w *Writer) Flush(ctx context.Context) error {
	select {
	case w.urge <- struct{}{}:
	default:
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	target := w.gen.Load()
	for w.saved < target && w.err == nil && !w.exited {
		ch := w.progress
		w.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			w.mu.Lock()
			return fmt.Errorf("flushing state: %w", ctx.Err())
		}
		w.mu.Lock()
	}
	if w.err != nil {
		return w.err
	}
	if w.saved < target {
		return errors.New("the writer was closed before all changes were persisted")
	}
	return nil
}

// Close flushes, stops the background goroutine and waits for it. It
// returns the first persist error, or ctx's error if the flush did not
// finish in time (the Write in flight is then cancelled). Calling Close
// again returns the same error.
func (w *Writer) Close(ctx context.Context) error {
	first := !w.closed.Swap(true)
	err := w.Flush(ctx)
	if err != nil && ctx.Err() != nil {
		w.cancel()
	}
	if first {
		close(w.stop)
	}
	<-w.done
	w.cancel()
	if err == nil {
		err = w.Err() // the last whole document (compaction) failed
	}
	return err
}

// run is the background goroutine: it persists whenever woken, until Close.
func (w *Writer) run() {
	defer w.exit()
	for {
		select {
		case <-w.wake:
		case <-w.stop:
			w.mu.Lock()
			w.closing = true
			w.mu.Unlock()
			for w.persist() {
			}
			return
		}
		start := time.Now()
		for w.persist() { // again at once if changes arrived meanwhile
		}
		w.pace(start)
	}
}

// WriteInterval is the least time between the starts of two writes while
// changes keep coming: a large apply records thousands of actions a second,
// and rewriting a 10,000-VM document for each would take a CPU core. A
// crash loses at most the actions of the last interval from state, and the
// next plan finds those VMs again by their ownership markers. Flush and
// Close do not wait for it.
const WriteInterval = 200 * time.Millisecond

// pace waits until WriteInterval has passed since start, or until a Flush
// or Close asks for the changes now.
func (w *Writer) pace(start time.Time) {
	d := WriteInterval - time.Since(start)
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-w.urge:
	case <-w.stop:
	}
}

func (w *Writer) exit() {
	w.mu.Lock()
	w.exited = true
	w.signal()
	w.mu.Unlock()
	close(w.done)
}

// job is one persist: the document to write (nil when only history
// records are pending) and the records to append after it.
type job struct {
	gen     uint64
	doc     *State // the whole document, for Write
	delta   *Delta // or the changed records, for WriteDelta
	compact bool   // or doc, unchanged, for Compact
	recs    []HistoryRecord
	// changes are the entries the delta is made of (outside the mutex,
	// from head), or that the whole document holds; the persist empties
	// them for reuse.
	changes []change
	head    *Delta // the delta without its records, until made
}

// serial is the serial the job writes, when it writes state.
func (j job) serial() uint64 {
	if j.delta != nil {
		return j.delta.Serial
	}
	return j.doc.Serial
}

// writes reports whether the job writes state.
func (j job) writes() bool { return j.doc != nil || j.delta != nil }

// persist writes what changed since the last persist; it reports whether
// it wrote anything and succeeded.
func (w *Writer) persist() bool {
	j, ok := w.take()
	if !ok {
		return false
	}
	if j.head != nil {
		j.delta = j.head.withChanges(j.changes)
	}
	wrote, err := w.save(&j)
	clear(j.changes)
	if err == nil {
		clear(j.recs) // empty for reuse (on an error they are pending again)
	}
	w.finish(j, wrote, err)
	return err == nil
}

// take collects the pending changes: the changed records (a Delta) when
// the store keeps them apart, else the whole document. The copies are
// shallow in their VMs: Set stores fresh copies and never modifies a
// stored VM, so the store can encode them while Sets go on.
func (w *Writer) take() (job, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.recMu.Lock()
	defer w.recMu.Unlock()
	whole := w.deltas == nil || w.compact || w.closing
	compactOnly := !w.dirty && w.journaled && (w.compact || w.closing)
	if w.err != nil || (!w.dirty && len(w.pending) == 0 && !compactOnly) {
		return job{}, false
	}
	j := job{gen: w.gen.Load(), recs: w.pending, changes: w.changes}
	switch {
	case w.dirty && whole:
		j.doc = w.document(w.st.Serial + 1)
	case w.dirty:
		j.head = w.deltaHead()
	case compactOnly:
		j.doc, j.compact = w.document(w.st.Serial), true
	}
	w.dirty = false
	w.pending, w.spare.recs = w.spare.recs, nil
	w.changes, w.spare.changes = w.spare.changes, nil
	w.abChange = false
	return j, true
}

// document returns a shallow copy of the live document at serial; w.mu
// must be held. Once Close stopped the goroutine nothing changes the
// document any more (Set after Close panics), so the copy shares its VMs
// map: the last write of a 100,000-VM apply copies no map of them.
func (w *Writer) document(serial uint64) *State {
	doc := *w.st
	if !w.closing {
		doc.VMs = maps.Clone(w.st.VMs)
		doc.Abandoned = slices.Clone(w.st.Abandoned)
	}
	doc.Serial = serial
	return &doc
}

// deltaHead returns the next delta without its records (withChanges
// adds them); w.mu must be held.
func (w *Writer) deltaHead() *Delta {
	d := &Delta{Lineage: w.st.Lineage, Serial: w.st.Serial + 1, VMs: len(w.st.VMs)}
	if w.abChange {
		d.Abandoned, d.AbandonedChanged = slices.Clone(w.st.Abandoned), true
	}
	return d
}

// withChanges returns d with the records changes leave: the last VM set
// at each address, and the addresses whose last change removed them,
// sorted. It needs no mutex: the entries and their VMs are never modified.
func (d *Delta) withChanges(changes []change) *Delta {
	d.Set = make(map[string]*VM, len(changes))
	removed := false
	for _, c := range changes {
		d.Set[c.addr] = c.vm
		removed = removed || c.vm == nil
	}
	if removed {
		for addr, vm := range d.Set {
			if vm == nil {
				d.Removed = append(d.Removed, addr)
				delete(d.Set, addr)
			}
		}
		slices.Sort(d.Removed)
	}
	return d
}

// save runs the store calls, outside the mutex.
func (w *Writer) save(j *job) (wrote bool, err error) {
	if err := w.saveState(j); err != nil {
		return false, err
	}
	if len(j.recs) > 0 {
		if err := w.store.AppendHistory(w.ctx, j.recs); err != nil {
			return j.writes(), fmt.Errorf("appending %d history records: %w", len(j.recs), err)
		}
	}
	return j.writes(), nil
}

// saveState writes the job's document, delta or compaction. A delta with
// no document stored to apply it to becomes the whole document.
func (w *Writer) saveState(j *job) error {
	switch {
	case j.compact:
		if err := w.deltas.Compact(w.ctx, j.doc); err != nil {
			return fmt.Errorf("compacting state serial %d: %w", j.doc.Serial, err)
		}
	case j.delta != nil:
		compact, err := w.deltas.WriteDelta(w.ctx, j.delta)
		if errors.Is(err, ErrWriteWhole) {
			j.doc, j.delta = w.wholeAt(j.delta), nil
			return w.saveState(j)
		}
		if err != nil {
			return fmt.Errorf("writing state serial %d: %w", j.delta.Serial, err)
		}
		w.mu.Lock()
		w.compact = compact
		w.mu.Unlock()
	case j.doc != nil:
		if err := w.store.Write(w.ctx, j.doc); err != nil {
			return fmt.Errorf("writing state serial %d: %w", j.doc.Serial, err)
		}
	}
	return nil
}

// wholeAt returns the live document at d's serial, for a delta that must
// be written whole; it holds every record d has (and perhaps later ones,
// which are written again by the next persist).
func (w *Writer) wholeAt(d *Delta) *State {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.document(d.Serial)
}

// finish records the outcome of a persist and wakes Flush.
func (w *Writer) finish(j job, wrote bool, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if wrote {
		w.st.Serial = j.serial()
		w.journaled = j.delta != nil
		if j.delta == nil {
			w.compact = false
		}
	}
	w.spare.changes = j.changes[:0]
	w.recMu.Lock()
	defer w.recMu.Unlock()
	switch {
	case err == nil:
		w.saved = j.gen
		w.spare.recs = j.recs[:0]
	default: // the first error: take stops persisting
		w.err = err
		w.failed.Store(&err)
		if j.writes() && !wrote && !j.compact {
			w.dirty = true
			w.remark(j)
		}
		w.pending = append(j.recs, w.pending...)
	}
	w.signal()
}

// remark marks the records of a job that failed as changed again, so that
// the state in memory still knows what is not persisted; w.mu must be held.
func (w *Writer) remark(j job) {
	if j.delta == nil {
		return
	}
	for addr := range j.delta.Set {
		w.changes = append(w.changes, change{addr, w.st.VMs[addr]})
	}
	for _, addr := range j.delta.Removed {
		w.changes = append(w.changes, change{addr, w.st.VMs[addr]})
	}
	w.abChange = w.abChange || j.delta.AbandonedChanged
}

// signal wakes every Flush waiting for progress; w.mu must be held.
func (w *Writer) signal() {
	close(w.progress)
	w.progress = make(chan struct{})
}
