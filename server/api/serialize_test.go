package api_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sync"
	"testing"

	"github.com/novacron/novacron/server/estate"
)

// TestConcurrentRunsSerialize starts a plan and apply of the quickstart
// together with VM creations in the API-owned workspace and a second
// plan-and-apply of one of them, all at once: every run succeeds, each
// workspace's runs take its lock in turn (its state's serial rises by at
// least one per run), and none is lost.
func TestConcurrentRunsSerialize(t *testing.T) {
	e := newEnv(t)
	before := e.serial(t, "apivms")
	const creates = 4
	var wg sync.WaitGroup
	started := make(chan estate.Run, creates+1)
	for i := range creates {
		wg.Go(func() {
			body := fmt.Sprintf(`{"name":"c-%d","provider":"sim.lab","template":"ubuntu-22.04","cpu":1,"memory_gb":1,"disk_gb":10}`, i)
			run, err := e.run("operator", "POST", "/api/v1/vms", body)
			if err != nil {
				t.Error(err)
				return
			}
			started <- run
		})
	}
	wg.Go(func() {
		var sp estate.SavedPlan
		r, err := e.request("POST", "/api/v1/workspaces/quickstart/plans", "", e.bearer("operator"))
		if err == nil {
			err = json.Unmarshal(r.body, &sp)
		}
		if err != nil {
			t.Error(err)
			return
		}
		run, err := e.run("operator", "POST", "/api/v1/workspaces/quickstart/plans/"+sp.ID+"/apply", `{"digest":"`+sp.Digest+`"}`)
		if err != nil {
			t.Error(err)
			return
		}
		started <- run
	})
	wg.Wait()
	close(started)
	n := 0
	for run := range started {
		n++
		e.waitRun(t, "operator", run)
	}
	if n != creates+1 {
		t.Fatalf("%d runs started, want %d", n, creates+1)
	}
	if after := e.serial(t, "apivms"); after < before+creates {
		t.Errorf("apivms serial %d → %d after %d runs: a run's state write was lost", before, after, creates)
	}
	var page struct{ Total int }
	e.do(t, "viewer", "GET", "/api/v1/vms?workspace=apivms", "").want(t, 200).decode(t, &page)
	if page.Total != creates {
		t.Errorf("apivms has %d VMs, want %d", page.Total, creates)
	}
}

// serial is a workspace's state serial.
func (e *testEnv) serial(t testing.TB, ws string) uint64 {
	t.Helper()
	var info estate.WorkspaceInfo
	e.do(t, "admin", "GET", "/api/v1/workspaces/"+url.PathEscape(ws), "").want(t, 200).decode(t, &info)
	return info.Serial
}
