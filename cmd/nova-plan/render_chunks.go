package main

import (
	"bytes"
	"io"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/novacron/novacron/engine/plan"
)

// textWriter is what a change is rendered to: the plan's bufio.Writer, or
// a chunk's buffer.
type textWriter interface {
	io.Writer
	io.StringWriter
	io.ByteWriter
}

// renderChunk is how many changes one goroutine renders into one buffer.
const renderChunk = 1024

// renderChanges writes each change's block in the plan's order. A plan of
// many changes (100,000 creates are some 40 MB of text) is rendered in
// chunks on the machine's cores and written chunk by chunk in order, with
// at most two chunks per core rendered ahead of the one being written, so
// the memory it holds stays a few megabytes whatever the plan's size.
func (u *ui) renderChanges(w textWriter, changes []*plan.Change) {
	procs := runtime.GOMAXPROCS(0)
	chunks := (len(changes) + renderChunk - 1) / renderChunk
	if procs == 1 || chunks < 4 {
		for _, c := range changes {
			u.renderChange(w, c)
		}
		return
	}
	ahead := 2 * procs
	slots := make([]chan *bytes.Buffer, chunks) // chunk i's text, when rendered
	for i := range slots {
		slots[i] = make(chan *bytes.Buffer, 1)
	}
	tokens := make(chan struct{}, ahead) // one per chunk rendered and not yet written
	free := make(chan *bytes.Buffer, ahead)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range procs - 1 { // the writer renders too, while it waits
		wg.Go(func() { u.renderAhead(changes, slots, tokens, free, &next) })
	}
	for i := range chunks {
		// Render chunks while this one is not ready, as the others do.
		for len(slots[i]) == 0 && u.renderOne(changes, slots, tokens, free, &next, false) {
		}
		buf := <-slots[i]
		w.Write(buf.Bytes())
		buf.Reset()
		free <- buf
		<-tokens
	}
	wg.Wait()
}

// renderAhead renders chunks until none is left.
func (u *ui) renderAhead(changes []*plan.Change, slots []chan *bytes.Buffer, tokens chan struct{}, free chan *bytes.Buffer, next *atomic.Int64) {
	for u.renderOne(changes, slots, tokens, free, next, true) {
	}
}

// renderOne takes the next chunk not taken, once a token allows (waiting
// for one when wait, else only when one is free), renders it and hands it
// to its slot. It reports whether it rendered one.
func (u *ui) renderOne(changes []*plan.Change, slots []chan *bytes.Buffer, tokens chan struct{}, free chan *bytes.Buffer, next *atomic.Int64, wait bool) bool {
	if next.Load() >= int64(len(slots)) {
		return false
	}
	if wait {
		tokens <- struct{}{}
	} else {
		select {
		case tokens <- struct{}{}:
		default:
			return false
		}
	}
	i := next.Add(1) - 1
	if i >= int64(len(slots)) {
		<-tokens
		return false
	}
	var buf *bytes.Buffer
	select {
	case buf = <-free:
	default:
		buf = new(bytes.Buffer)
	}
	lo := int(i) * renderChunk
	for _, c := range changes[lo:min(lo+renderChunk, len(changes))] {
		u.renderChange(buf, c)
	}
	slots[i] <- buf
	return true
}
