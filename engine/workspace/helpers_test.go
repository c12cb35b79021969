package workspace_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/sim"
	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/engine/operation"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/engine/workspace"
)

// provider and template blocks shared by the test specs.
const simBlocks = `
provider "sim" "lab" {
  hosts          = 2
  host_cpu       = 64
  host_memory_gb = 256
}

template "img" {
  sim { image = "ubuntu-22.04" }
}
`

// newWorkspace writes spec files into a fresh folder and returns its
// workspace, with the sim driver registered.
func newWorkspace(t *testing.T, files map[string]string) *workspace.Workspace {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		writeFile(t, filepath.Join(dir, name), body)
	}
	reg := &driver.Registry{}
	reg.Register(sim.Factory())
	return workspace.New(dir, reg)
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

// begin starts an apply session, failing the test on errors; the session
// is closed when the test ends if the test has not closed it.
func begin(t *testing.T, ws *workspace.Workspace, o spec.Options) *workspace.Session {
	t.Helper()
	sess, diags := ws.Begin(context.Background(), workspace.BeginOptions{Operation: "apply", LockTimeout: time.Second, Spec: o})
	if diags.HasErrors() {
		t.Fatalf("Begin: %s", diagText(diags))
	}
	t.Cleanup(func() { sess.Close() })
	return sess
}

// session runs f in a session of its own, closed when f returns, as one
// nova-plan invocation would.
func session(t *testing.T, ws *workspace.Workspace, o spec.Options, f func(*workspace.Session)) {
	t.Helper()
	sess := begin(t, ws, o)
	f(sess)
	if err := sess.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

// mustPlan plans, failing the test on errors.
func mustPlan(t *testing.T, sess *workspace.Session) *operation.Planned {
	t.Helper()
	p, diags := sess.Plan(context.Background(), workspace.PlanOptions{})
	if diags.HasErrors() {
		t.Fatalf("Plan: %s", diagText(diags))
	}
	return p
}

// mustApply applies, failing the test unless every change succeeded.
func mustApply(t *testing.T, sess *workspace.Session, p *operation.Planned) *exec.Result {
	t.Helper()
	res, err := sess.Apply(context.Background(), p, workspace.ApplyOptions{Operation: "apply", Parallelism: 4})
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	for i, o := range res.Outcomes {
		if o.Status != exec.Succeeded {
			t.Fatalf("Apply: %s %s: %v %v", p.Changes[i].Action, p.Changes[i].Address, o.Status, o.Err)
		}
	}
	return res
}

// actions counts a plan's changes per action name.
func actions(p *operation.Planned) map[string]int {
	out := map[string]int{}
	for _, c := range p.Changes {
		out[c.Action.String()]++
	}
	return out
}

// liveVMs returns the names of the VMs the session's sim.lab reports; it
// fails the test if a name exists twice.
func liveVMs(t *testing.T, sess *workspace.Session) map[string]driver.VM {
	t.Helper()
	inv, diags := sess.Inventory(context.Background())
	if diags.HasErrors() {
		t.Fatalf("Inventory: %s", diagText(diags))
	}
	out := map[string]driver.VM{}
	for _, vm := range inv["sim.lab"].VMs {
		if _, dup := out[vm.Name]; dup {
			t.Errorf("VM %s exists twice", vm.Name)
		}
		out[vm.Name] = vm
	}
	return out
}

func diagText(diags hcl.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.Summary + ": " + d.Detail + "\n")
	}
	return b.String()
}
