package sim

import (
	"bytes"
	"maps"
	"runtime"

	"github.com/novacron/novacron/engine/driver"
)

// The journal is written in groups. A mutation is applied to the cluster
// at once, under the mutex, and its line queued; the caller then waits
// until the line is written, writing the queue itself when no other caller
// is (one write(2) for every line queued meanwhile, with the mutex
// released), so a hundred concurrent creates cost a few writes, not a
// hundred. A call reports success only once its line is written: kill -9
// never loses a VM a call reported, and a VM whose line was not written is
// lost with the process's memory, never reported. Inventory and Close wait
// for the queue too, so nothing unwritten is ever shown or snapshotted.
// When a write fails, every mutation not written is undone, newest first,
// and fails, and so does every later one (Driver.broken).
type group struct {
	pending  []byte       // lines queued, not written yet
	undo     []undoRecord // undoes each queued mutation, in queue order
	queued   uint64       // mutations queued in all
	written  uint64       // of which written
	flushing bool         // a caller is writing, outside the mutex
	writes   uint64       // group writes made (BenchmarkCreateParallel)
}

// commit applies e to the cluster and journals it; the caller holds d.mu,
// which commit releases while it writes or waits. Nothing changes when the
// journal write fails (see group).
func (d *Driver) commit(e entry) error {
	if d.broken != nil {
		return d.broken
	}
	undo := d.c.undoFor(e)
	if err := d.c.apply(e); err != nil {
		return err
	}
	d.g.pending = append(e.appendJSON(d.g.pending), '\n')
	d.g.undo = append(d.g.undo, undo)
	d.g.queued++
	return d.waitWritten(d.g.queued)
}

// waitWritten returns once mutation n is written, or the error that keeps
// it from being written; the caller holds d.mu.
func (d *Driver) waitWritten(n uint64) error {
	yielded := false
	for d.g.written < n {
		switch {
		case d.broken != nil:
			return d.broken
		case !d.g.flushing && !yielded:
			// Let the callers that are ready queue their lines first:
			// they join this write.
			yielded = true
			d.mu.Unlock()
			runtime.Gosched()
			d.mu.Lock()
		case !d.g.flushing:
			d.flush()
		default:
			d.written.Wait()
		}
	}
	return nil
}

// flush writes the queued lines with one write(2), releasing d.mu
// meanwhile; the caller holds d.mu. When the write fails, the lines it
// wrote whole stand (a replay applies them), and the rest are undone.
func (d *Driver) flush() {
	buf, undo, upto := d.g.pending, d.g.undo, d.g.queued
	d.g.pending, d.g.undo, d.g.flushing = d.spare[:0], d.spareUndo[:0], true
	d.mu.Unlock()
	n, err := d.journal.Write(buf)
	d.mu.Lock()
	d.g.flushing = false
	d.g.writes++
	if err == nil {
		clear(undo) // holds no record the cluster dropped
		d.g.written, d.spare, d.spareUndo = upto, buf, undo
	} else {
		d.broken = driver.Errorf(driver.KindPermanent, "writing the journal of the simulated provider %q: %w", d.name, err)
		whole := bytes.Count(buf[:n], []byte{'\n'})
		d.g.written = upto - uint64(len(undo)-whole)
		d.c.undoAll(d.g.undo) // queued while writing: newer than buf's
		d.c.undoAll(undo[whole:])
		d.g.pending, d.g.undo = nil, nil
	}
	d.written.Broadcast()
}

// undoRecord undoes one mutation: it puts prev back, or removes the VM id
// when there was none, and sets lastID back. A value, not a closure, so that
// queueing a mutation allocates nothing.
type undoRecord struct {
	id     string
	prev   *vmRecord
	lastID int64
}

// undoFor returns what undoes e, a put or a delete (host changes are
// journaled at Open, not committed), made on c as it is now.
func (c *cluster) undoFor(e entry) undoRecord {
	id := e.ID
	if e.VM != nil {
		id = e.VM.ID
	}
	return undoRecord{id: id, prev: c.get(id), lastID: c.lastID}
}

// undoAll undoes the mutations of undo, newest first.
func (c *cluster) undoAll(undo []undoRecord) {
	for i := len(undo) - 1; i >= 0; i-- {
		u := undo[i]
		if u.prev != nil {
			c.put(u.prev)
		} else {
			c.remove(u.id)
		}
		c.lastID = u.lastID
	}
}

// copyTags returns a copy of tags for a new record, or the copy the last
// create made when the tags are equal: the VMs of a fleet mostly have the
// same tags, and a stored record is never changed in place, so they share
// one map. nil stays nil. The caller holds d.mu.
func (d *Driver) copyTags(tags map[string]string) map[string]string {
	if tags == nil {
		return nil
	}
	if d.lastTags == nil || !maps.Equal(tags, d.lastTags) {
		d.lastTags = maps.Clone(tags)
	}
	return d.lastTags
}
