package workspace_test

import (
	"context"
	"testing"
	"time"

	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/engine/workspace"
)

// A provider block's parallelism and rate_limit reach the executor.
func TestProviderMetaArgumentsLimitTheApply(t *testing.T) {
	const specText = `
provider "sim" "lab" {
  latency     = "20ms"
  parallelism = 2
  rate_limit  = 200
}
template "img" {
  sim { image = "x" }
}
fleet "web" {
  count     = 12
  template  = template.img
  cpu       = 1
  memory_gb = 1
}
`
	ws := newWorkspace(t, map[string]string{"main.nova.hcl": specText})
	session(t, ws, spec.Options{}, func(sess *workspace.Session) {
		p := mustPlan(t, sess)
		running, peak := 0, 0
		start := time.Now()
		res, err := sess.Apply(context.Background(), p, workspace.ApplyOptions{
			Operation: "apply", Parallelism: 10,
			Events: func(ev exec.Event) { // never called concurrently
				switch ev.Kind {
				case exec.EventStarted:
					running++
					peak = max(peak, running)
				case exec.EventSucceeded, exec.EventFailed:
					running--
				}
			},
		})
		if err != nil || !res.OK() {
			t.Fatalf("apply: %v, %+v", err, res)
		}
		if peak != 2 {
			t.Errorf("at most %d changes ran at once; the provider's parallelism is 2", peak)
		}
		if elapsed := time.Since(start); elapsed < 6*20*time.Millisecond {
			t.Errorf("12 creates two at a time with 20ms latency took %s; want at least 120ms", elapsed)
		}
	})
}
