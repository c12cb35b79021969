package main

import (
	"bufio"
	"bytes"
	"runtime"
	"testing"

	"github.com/novacron/novacron/engine/plan"
)

// TestRenderChunksInOrder: a plan large enough to be rendered in chunks
// on several cores reads exactly as one rendered change by change, for
// plans of whole chunks, of a part chunk at the end, and of mixed actions
// (the race detector checks the chunks share nothing they change).
func TestRenderChunksInOrder(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	all := createsPlan10k().Changes
	for i, c := range all {
		if i%7 == 3 { // some deletes and updates among the creates
			c.Action, c.Before = plan.Delete, c.After
		}
	}
	for _, n := range []int{4 * renderChunk, 5*renderChunk + 17, len(all)} {
		changes := all[:n]
		u := &ui{}
		var one bytes.Buffer
		w := bufio.NewWriter(&one)
		for _, c := range changes {
			u.renderChange(w, c)
		}
		w.Flush()
		var chunked bytes.Buffer
		w = bufio.NewWriter(&chunked)
		u.renderChanges(w, changes)
		w.Flush()
		if one.Len() == 0 || !bytes.Equal(one.Bytes(), chunked.Bytes()) {
			t.Errorf("%d changes: chunked rendering (%d bytes) differs from rendering one by one (%d bytes)", n, chunked.Len(), one.Len())
		}
	}
}
