package estate

import (
	"fmt"
	"testing"
)

// The bound on remembered runs is per workspace: one workspace's many
// runs do not evict another's.
func TestRunsBoundPerWorkspace(t *testing.T) {
	var rs runs
	finished := func(ws, id string) *runState {
		r := &runState{done: make(chan struct{}), run: Run{ID: id, Workspace: ws}}
		close(r.done)
		return r
	}
	rs.add(finished("a", "a-0"))
	for i := range MaxRuns + 5 {
		rs.add(finished("b", fmt.Sprintf("b-%d", i)))
	}
	if rs.get("a-0") == nil {
		t.Errorf("workspace b's runs evicted workspace a's only run")
	}
	if n := len(rs.list("b")); n != MaxRuns {
		t.Errorf("workspace b has %d runs remembered, want %d", n, MaxRuns)
	}
	if rs.get("b-0") != nil || rs.get(fmt.Sprintf("b-%d", MaxRuns+4)) == nil {
		t.Errorf("not the oldest of b's runs were forgotten")
	}
}
