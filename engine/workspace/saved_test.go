package workspace_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/engine/workspace"
)

const savedSpec = simBlocks + `
variable "env"    { type = string }
variable "size"   { type = number }
variable "zones"  { type = list(string) }
variable "labels" { type = map(string) }
variable "shape"  { type = object({ cpu = number, memory_gb = number }) }
variable "token" {
  type      = string
  sensitive = true
}

fleet "web" {
  provider  = provider.sim.lab
  count     = var.size
  template  = template.img
  cpu       = var.shape.cpu
  memory_gb = var.shape.memory_gb
  tags      = merge(var.labels, { env = var.env, zone = var.zones[0] })
}

output "token" {
  value     = var.token
  sensitive = true
}
`

const secret = "hunter2-correct-horse"

// savedVars are the -var arguments of a plan of size VMs.
func savedVars(size, token string) []spec.VarArg {
	return []spec.VarArg{
		{Name: "env", Value: "staging"}, {Name: "size", Value: size},
		{Name: "zones", Value: `["z1", "z2"]`}, {Name: "labels", Value: `{ team = "core" }`},
		{Name: "shape", Value: `{ cpu = 2, memory_gb = 4 }`}, {Name: "token", Value: token},
	}
}

// savePlan plans size VMs and writes the plan file, as `plan -out` does.
func savePlan(t *testing.T, ws *workspace.Workspace, size string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "web.plan")
	session(t, ws, spec.Options{Vars: savedVars(size, secret)}, func(sess *workspace.Session) {
		if err := plan.WriteFile(path, mustPlan(t, sess).Plan); err != nil {
			t.Fatal(err)
		}
	})
	return path
}

// loadSaved reads a plan file and its saved values, as `apply FILE` does.
func loadSaved(t *testing.T, path string) (*plan.Plan, map[string]cty.Value) {
	t.Helper()
	p, err := plan.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	vals, err := workspace.SavedValues(p)
	if err != nil {
		t.Fatalf("SavedValues: %v", err)
	}
	return p, vals
}

// The non-sensitive values a plan was made with come back as they were;
// the sensitive one is neither returned nor anywhere in the file.
func TestSavedValuesRoundTrip(t *testing.T) {
	ws := newWorkspace(t, map[string]string{"main.nova.hcl": savedSpec})
	path := savePlan(t, ws, "2")

	_, got := loadSaved(t, path)

	want := map[string]cty.Value{
		"env":    cty.StringVal("staging"),
		"size":   cty.NumberIntVal(2),
		"zones":  cty.ListVal([]cty.Value{cty.StringVal("z1"), cty.StringVal("z2")}),
		"labels": cty.MapVal(map[string]cty.Value{"team": cty.StringVal("core")}),
		"shape":  cty.ObjectVal(map[string]cty.Value{"cpu": cty.NumberIntVal(2), "memory_gb": cty.NumberIntVal(4)}),
	}
	equal := cmp.Comparer(func(a, b cty.Value) bool { return a.RawEquals(b) })
	if diff := cmp.Diff(want, got, equal); diff != "" {
		t.Errorf("SavedValues (-want +got):\n%s", diff)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(secret)) {
		t.Errorf("the plan file holds the sensitive value %q", secret)
	}
}

// A saved plan applies only to the world it was made against.
func TestPrepareSavedRefusesStalePlans(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, ws *workspace.Workspace)
		token  string
		want   string // in the diagnostic; "" for a plan that applies
	}{
		{name: "untouched", token: secret},
		{
			name: "another apply", token: secret, want: "state changed since it was made",
			change: func(t *testing.T, ws *workspace.Workspace) {
				session(t, ws, spec.Options{Vars: savedVars("2", secret)}, func(sess *workspace.Session) {
					mustApply(t, sess, mustPlan(t, sess))
				})
			},
		},
		{
			name: "a VM changed out of band", token: secret, want: "VMs it covers changed",
			change: func(t *testing.T, ws *workspace.Workspace) {
				session(t, ws, spec.Options{Vars: savedVars("1", secret)}, func(sess *workspace.Session) {
					vm := sess.State.VMs["fleet.web[0]"]
					tags := map[string]string{"team": "ops"}
					if _, err := sess.Drivers["sim.lab"].Update(context.Background(), vm.ID, driver.Changes{Tags: tags}); err != nil {
						t.Fatal(err)
					}
				})
			},
		},
		{
			name: "a spec file edited", token: secret, want: "spec files changed",
			change: func(t *testing.T, ws *workspace.Workspace) {
				writeFile(t, filepath.Join(ws.Dir, "main.nova.hcl"), savedSpec+"\n# edited\n")
			},
		},
		{name: "another sensitive value", token: "not-the-secret", want: "var.token differs from the value the plan was made with"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := newWorkspace(t, map[string]string{"main.nova.hcl": savedSpec})
			session(t, ws, spec.Options{Vars: savedVars("1", secret)}, func(sess *workspace.Session) {
				mustApply(t, sess, mustPlan(t, sess))
			})
			path := savePlan(t, ws, "2")
			if tt.change != nil {
				tt.change(t, ws)
			}
			p, vals := loadSaved(t, path)
			opts := spec.Options{Values: vals, Vars: []spec.VarArg{{Name: "token", Value: tt.token}}}
			session(t, ws, opts, func(sess *workspace.Session) {
				pl, diags := sess.PrepareSaved(context.Background(), p)
				if tt.want == "" {
					if diags.HasErrors() {
						t.Fatalf("PrepareSaved refused an untouched plan: %s", diagText(diags))
					}
					mustApply(t, sess, pl)
					if n := len(liveVMs(t, sess)); n != 2 {
						t.Errorf("after applying the saved plan the sim holds %d VMs, want 2", n)
					}
					return
				}
				if !diags.HasErrors() || !strings.Contains(diagText(diags), tt.want) {
					t.Errorf("PrepareSaved = %q, want an error containing %q", diagText(diags), tt.want)
				}
			})
		})
	}
}
