package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/novacron/novacron/engine/driver/sim"
)

// These tests run the real Terraform CLI on configurations that share one
// simulated backend, the way separate root modules (or a -replace, a taint,
// a secret) meet it in use: no VM may be lost or made twice, and no
// configuration may take another's VMs.

// bareWorkdir is a folder holding only main.tf, whose provider keeps the
// simulator in dataDir.
func bareWorkdir(t *testing.T, dataDir, resources string) *workdir {
	t.Helper()
	w := newWorkdir(t)
	for _, f := range []string{"main.tf", "variables.tf", "outputs.tf"} {
		os.Remove(filepath.Join(w.dir, f))
	}
	w.write("main.tf", bareMain(dataDir, resources))
	return w
}

// bareMain is the main.tf of bareWorkdir.
func bareMain(dataDir, resources string) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    novacron = { source = "novacron/novacron" }
  }
}
provider "novacron" {
  data_dir = %q
  sim {
    name  = "lab"
    hosts = 4
  }
}
%s`, dataDir, resources)
}

// simVM is a VM as the simulator's snapshot holds it.
type simVM struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	CPU    int    `json:"cpu"`
	Marker *struct {
		Address string `json:"address"`
		Lineage string `json:"lineage"`
	} `json:"marker"`
}

// simVMs reads the VMs of backend lab from its snapshot, by name. Terraform
// has exited, so the provider has closed the simulator and folded its
// journal into the snapshot.
func simVMs(t *testing.T, dataDir string) map[string]simVM {
	t.Helper()
	data, err := sim.ReadSnapshotJSON(dataDir, "lab")
	if err != nil {
		t.Fatalf("reading the simulator's snapshot: %v", err)
	}
	var snap struct{ VMs []simVM }
	if err := json.Unmarshal(data, &snap); err != nil {
		t.Fatal(err)
	}
	out := map[string]simVM{}
	for _, vm := range snap.VMs {
		if _, dup := out[vm.Name]; dup {
			t.Errorf("the backend holds two VMs named %s", vm.Name)
		}
		out[vm.Name] = vm
	}
	return out
}

func ids(vms map[string]simVM) []string {
	var out []string
	for _, vm := range vms {
		out = append(out, vm.ID)
	}
	slices.Sort(out)
	return out
}

// stateVMIDs returns the VM ids novacron_fleet addr records in state.
func (w *workdir) stateVMIDs(addr string) []string {
	w.t.Helper()
	r := w.show().resource(addr)
	if r == nil {
		w.t.Fatalf("%s is not in state", addr)
	}
	var out []string
	for _, v := range r["vms"].(map[string]any) {
		out = append(out, v.(map[string]any)["id"].(string))
	}
	slices.Sort(out)
	return out
}

const tenVMFleet = `
resource "novacron_fleet" "f" {
  backend        = "lab"
  name           = "f"
  instance_count = 10
  template       = { image = "u" }
  cpu            = 1
  memory_gb      = 1
  rollout {
    batch_size = 3
  }
}
`

// TestReplaceFleet: -replace and taint of a fleet of 10 VMs delete the old
// VMs and create 10 new ones; the plan says 10 to add (never "adopt", the
// old VMs are the replaced object's), and the state and the backend agree.
func TestReplaceFleet(t *testing.T) {
	for _, how := range []string{"-replace", "taint"} {
		t.Run(how, func(t *testing.T) {
			data := t.TempDir()
			w := bareWorkdir(t, data, tenVMFleet)
			w.run(0, "apply", "-auto-approve")
			before := ids(simVMs(t, data))
			args := []string{"apply", "-auto-approve"}
			if how == "taint" {
				w.run(0, "taint", "novacron_fleet.f")
			} else {
				args = append(args, "-replace=novacron_fleet.f")
			}
			out := w.run(0, args...)
			if !strings.Contains(out, "10 to add, 0 to update, 0 to replace, 0 to delete") || strings.Contains(out, "adopt") {
				t.Errorf("the replacement's plan is not 10 creates:\n%s", out)
			}
			vms := simVMs(t, data)
			after := ids(vms)
			if len(vms) != 10 {
				t.Fatalf("the backend holds %d VMs after the replacement, want 10", len(vms))
			}
			for _, id := range before {
				if slices.Contains(after, id) {
					t.Errorf("VM %s of the replaced fleet is still there", id)
				}
			}
			if got := w.stateVMIDs("novacron_fleet.f"); !slices.Equal(got, after) {
				t.Errorf("state records VMs %v, the backend holds %v", got, after)
			}
			w.run(0, "plan", "-detailed-exitcode")
		})
	}
}

// TestTwoConfigurationsShareABackend: two root modules with a fleet named
// web each, on one backend, never touch each other's VMs; a third whose VM
// names are taken stops at plan, naming the owner.
func TestTwoConfigurationsShareABackend(t *testing.T) {
	data := t.TempDir()
	fleet := func(n int, pattern string) string {
		return fmt.Sprintf(`
resource "novacron_fleet" "web" {
  backend        = "lab"
  name           = "web"
  instance_count = %d
  name_pattern   = %q
  template       = { image = "u" }
  cpu            = 1
  memory_gb      = 1
}
`, n, pattern)
	}
	prod := bareWorkdir(t, data, fleet(3, "prod-{index}"))
	stg := bareWorkdir(t, data, fleet(1, "stg-{index}"))
	prod.run(0, "apply", "-auto-approve")
	prodIDs := ids(simVMs(t, data))

	if out := stg.run(0, "plan"); !strings.Contains(out, "1 to add, 0 to update, 0 to replace, 0 to delete") {
		t.Errorf("staging's plan touches more than its own VM:\n%s", out)
	}
	stg.run(0, "apply", "-auto-approve")
	vms := simVMs(t, data)
	if len(vms) != 4 || vms["stg-0"].ID == "" {
		t.Fatalf("after staging's apply the backend holds %v, want prod-0..2 and stg-0", vms)
	}
	prod.run(0, "plan", "-detailed-exitcode")
	stg.run(0, "destroy", "-auto-approve")
	if got := ids(simVMs(t, data)); !slices.Equal(got, prodIDs) {
		t.Errorf("after staging's destroy the backend holds %v, want prod's %v", got, prodIDs)
	}
	prod.run(0, "plan", "-detailed-exitcode")

	// A plan cannot tell prod's VMs from those of an object this fleet
	// replaces (Terraform plans a replacement's new object with no prior
	// state, in another process under create_before_destroy): it warns,
	// and the apply stops before creating anything, naming the owner.
	clash := bareWorkdir(t, data, fleet(2, "prod-{index}"))
	if out := clash.run(0, "plan"); !strings.Contains(out, "prod-0") || !strings.Contains(out, "VM names of a replaced resource") {
		t.Errorf("a configuration whose VM names are taken does not warn at plan:\n%s", out)
	}
	out := clash.run(1, "apply", "-auto-approve")
	if !strings.Contains(out, "prod-0") || !strings.Contains(out, "another Terraform resource") {
		t.Errorf("a configuration whose VM names are taken does not stop naming the owner:\n%s", out)
	}
	if got := ids(simVMs(t, data)); !slices.Equal(got, prodIDs) {
		t.Errorf("the refused apply changed the backend: %v, want %v", got, prodIDs)
	}
}

// TestSensitiveTemplateValues: a sensitive variable in template is never
// printed by plan, apply or show, and no attribute the provider computes
// holds it (Terraform itself keeps template in state, as it keeps every
// argument); one in sensitive_template (write-only) is not in the state
// file at all. (show -json prints sensitive values by Terraform's design.)
func TestSensitiveTemplateValues(t *testing.T) {
	data := t.TempDir()
	config := func(n int) string {
		return fmt.Sprintf(`
variable "image" {
  type      = string
  sensitive = true
  default   = "HUNTER2-image-%[1]d"
}
variable "secret_image" {
  type      = string
  sensitive = true
  default   = "WRITEONLY-image-%[1]d"
}
resource "novacron_fleet" "web" {
  backend        = "lab"
  name           = "web"
  instance_count = 2
  template       = { image = var.image }
  cpu            = 1
  memory_gb      = 1
}
resource "novacron_vm" "db" {
  backend            = "lab"
  name               = "db"
  sensitive_template = { image = var.secret_image }
  cpu                = 1
  memory_gb          = 1
}
`, n)
	}
	w := bareWorkdir(t, data, config(1))
	secrets := []string{"HUNTER2", "WRITEONLY"}
	noSecret := func(what, text string) {
		t.Helper()
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("%s prints the sensitive value %s…:\n%s", what, s, text)
			}
		}
	}
	noSecret("the first plan", w.run(0, "plan"))
	noSecret("the first apply", w.run(0, "apply", "-auto-approve"))
	w.write("main.tf", strings.ReplaceAll(readFile(t, filepath.Join(w.dir, "main.tf")), "image-1", "image-2"))
	noSecret("the plan of a new secret", w.run(0, "plan", "-out", "tf.plan"))
	noSecret("show of the saved plan", w.run(0, "show", "tf.plan"))
	noSecret("the apply of a new secret", w.run(0, "apply", "tf.plan"))
	noSecret("show", w.run(0, "show"))
	state := readFile(t, filepath.Join(w.dir, "terraform.tfstate"))
	if strings.Contains(state, "WRITEONLY") {
		t.Errorf("the state holds the value of sensitive_template")
	}
	if n := strings.Count(state, "HUNTER2"); n != 1 {
		t.Errorf("the state holds the sensitive template value %d times, want once (in template itself)", n)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
