package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/novacron/novacron/server/estate"
)

// TestServedParts checks what package server composes around the API:
// /health, /metrics counting
// requests by route pattern, and /ws/status streaming a run's events to
// a client that may read its workspace.
func TestServedParts(t *testing.T) {
	e := newEnv(t)
	r := e.do(t, "", "GET", "/health", "").want(t, 200)
	if !strings.Contains(string(r.body), `"ok"`) {
		t.Errorf("/health: %s", r.body)
	}
	events := watch(t, e, "viewer")
	run := e.applyQuickstart(t, "operator")
	got := events(run.ID)
	if len(got) < 3 || got[0].Type != "run_started" || got[len(got)-1].Type != "run_finished" || got[len(got)-1].Status != estate.RunSucceeded {
		t.Errorf("/ws/status events of run %s: %+v, want run_started … run_finished (succeeded)", run.ID, got)
	}

	r = e.do(t, "", "GET", "/metrics", "").want(t, 200)
	for _, want := range []string{`nova_http_requests_total{code="202",route="POST /api/v1/workspaces/{ws}/plans/{id}/apply"} 1`, `nova_applies_total{`} {
		if !strings.Contains(string(r.body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// watch connects to /ws/status as user; the function it returns reads
// events until the run id's run_finished and returns the run's events.
func watch(t *testing.T, e *testEnv, user string) func(id string) []estate.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(e.url, "http")+"/ws/status",
		&websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + e.tokens[user]}}})
	if err != nil {
		t.Fatalf("/ws/status: %v", err)
	}
	t.Cleanup(func() { c.CloseNow() })
	return func(id string) []estate.Event {
		var out []estate.Event
		for {
			_, data, err := c.Read(ctx)
			if err != nil {
				t.Fatalf("/ws/status: %v (after %+v)", err, out)
			}
			var ev estate.Event
			if err := json.Unmarshal(data, &ev); err != nil {
				t.Fatalf("/ws/status sent %s: %v", data, err)
			}
			if ev.RunID != id {
				continue
			}
			out = append(out, ev)
			if ev.Type == "run_finished" {
				return out
			}
		}
	}
}
