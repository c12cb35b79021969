package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/internal/clitest"
)

// prefixSpec is a sim spec whose VM names start with var.prefix, so that
// two workspaces on one sim do not claim the same names.
const prefixSpec = `
variable "prefix" {
  type    = string
  default = "dev"
}

provider "sim" "lab" {
  hosts = 2
}

template "img" {
  sim { image = "ubuntu-22.04" }
}

fleet "web" {
  count     = 2
  name      = "${var.prefix}-web-${count.index}"
  template  = template.img
  cpu       = 1
  memory_gb = 1
}
`

// novaEnv runs the binary with env added to the environment.
func novaEnv(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	return clitest.RunEnv(t, novaBin, dir, "", env, args...)
}

// workspace new, list, select, show and delete, as a user meets them.
func TestWorkspaceCommands(t *testing.T) {
	dir := newDir(t, prefixSpec)
	list := func() string { return nova(t, dir, "workspace", "list").Must(t, 0, "workspace list").Stdout }
	show := func() string { return nova(t, dir, "workspace", "show").Must(t, 0, "workspace show").Stdout }

	if got := list(); got != "* default\n" {
		t.Errorf("workspace list in a new folder:\n%s\nwant only the default, selected", got)
	}
	if got := show(); got != "default\n" {
		t.Errorf("workspace show: %q, want default", got)
	}
	r := nova(t, dir, "workspace", "new", "staging").Must(t, 0, "workspace new staging")
	if !strings.Contains(r.Stdout, `Created and selected workspace "staging"`) {
		t.Errorf("workspace new says %q", r.Stdout)
	}
	nova(t, dir, "workspace", "new", "prod").Must(t, 0, "workspace new prod")
	if diff := cmp.Diff("  default\n* prod\n  staging\n", list()); diff != "" {
		t.Errorf("workspace list after two new (-want +got):\n%s", diff)
	}
	r = nova(t, dir, "workspace", "new", "prod").Must(t, 1, "workspace new of one that exists")
	if !strings.Contains(r.Stderr, "prod") {
		t.Errorf("a second workspace new prod: %s", r.Stderr)
	}
	nova(t, dir, "workspace", "select", "staging").Must(t, 0, "workspace select staging")
	if got := show(); got != "staging\n" {
		t.Errorf("workspace show after select: %q", got)
	}
	r = nova(t, dir, "workspace", "select", "qa").Must(t, 1, "workspace select of one that does not exist")
	for _, want := range []string{`"qa" does not exist`, "default", "prod", "staging", "workspace new qa"} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("select qa: stderr lacks %q:\n%s", want, r.Stderr)
		}
	}
	if got := show(); got != "staging\n" {
		t.Errorf("a failed select changed the selection to %q", got)
	}
	r = nova(t, dir, "workspace", "delete", "staging").Must(t, 1, "workspace delete of the selected one")
	if !strings.Contains(r.Stderr, "selected") {
		t.Errorf("delete of the selected workspace: %s", r.Stderr)
	}
	nova(t, dir, "workspace", "delete", "prod").Must(t, 0, "workspace delete prod")
	nova(t, dir, "workspace", "select", "default").Must(t, 0, "workspace select default")
	r = nova(t, dir, "workspace", "delete", "default").Must(t, 1, "workspace delete default")
	if diff := cmp.Diff("* default\n  staging\n", list()); diff != "" {
		t.Errorf("workspace list at the end (-want +got):\n%s", diff)
	}
	nova(t, dir, "workspace", "frobnicate").Must(t, 1, "an unknown workspace subcommand")
	nova(t, dir, "workspace", "select").Must(t, 1, "workspace select without a name")
	nova(t, dir, "workspace", "list", "extra").Must(t, 1, "workspace list with an argument")
}

// Workspace names that no backend could hold are refused, and nothing is
// created.
func TestWorkspaceBadNames(t *testing.T) {
	dir := newDir(t, prefixSpec)
	for _, name := range []string{"Staging", "my space", "../up", "-x", "_x", strings.Repeat("a", 64), "é"} {
		r := nova(t, dir, "workspace", "new", "--", name)
		if r.Code != 1 || !strings.Contains(r.Stderr, "lowercase letters") {
			t.Errorf("workspace new %q: exit %d, stderr:\n%s", name, r.Code, r.Stderr)
		}
	}
	r := novaEnv(t, dir, []string{"NOVA_WORKSPACE=Bad Name"}, "plan").Must(t, 1, "NOVA_WORKSPACE with a bad name")
	if !strings.Contains(r.Stderr, "NOVA_WORKSPACE") || !strings.Contains(r.Stderr, "lowercase letters") {
		t.Errorf("plan with NOVA_WORKSPACE=Bad Name: %s", r.Stderr)
	}
	if got := nova(t, dir, "workspace", "list").Must(t, 0, "list").Stdout; got != "* default\n" {
		t.Errorf("after bad names, workspace list:\n%s", got)
	}
	if err := os.MkdirAll(filepath.Join(dir, ".nova"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".nova", "environment"), []byte("../../etc\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = nova(t, dir, "plan").Must(t, 1, "plan with a bad .nova/environment")
	if !strings.Contains(r.Stderr, "environment") || !strings.Contains(r.Stderr, "workspace select") {
		t.Errorf("plan with a bad .nova/environment: %s", r.Stderr)
	}
}

// An apply in one workspace is not seen by another's plan or state.
func TestWorkspaceIsolation(t *testing.T) {
	dir := newDir(t, prefixSpec)
	nova(t, dir, "workspace", "new", "staging").Must(t, 0, "workspace new staging")
	stg := []string{"NOVA_VAR_prefix=stg"}
	novaEnv(t, dir, stg, "apply", "-auto-approve").Must(t, 0, "apply in staging")
	if got := nova(t, dir, "state", "list").Must(t, 0, "state list in staging").Stdout; got != "fleet.web[0]\nfleet.web[1]\n" {
		t.Errorf("state list in staging:\n%s", got)
	}
	novaEnv(t, dir, stg, "plan", "-detailed-exitcode").Must(t, 0, "plan in staging after its apply")

	nova(t, dir, "workspace", "select", "default").Must(t, 0, "select default")
	if got := nova(t, dir, "state", "list").Must(t, 0, "state list in default").Stdout; got != "" {
		t.Errorf("state list in default shows staging's VMs:\n%s", got)
	}
	r := nova(t, dir, "show").Must(t, 0, "show in default")
	if !strings.Contains(r.Stdout, "The state is empty") {
		t.Errorf("show in default:\n%s", r.Stdout)
	}
	p := planJSON(t, dir)
	if p.Summary["create"] != 2 {
		t.Errorf("plan in default: %v, want 2 creates of its own", p.Summary)
	}
	// NOVA_WORKSPACE selects staging without touching .nova/environment.
	r = novaEnv(t, dir, []string{"NOVA_WORKSPACE=staging"}, "state", "list").Must(t, 0, "state list with NOVA_WORKSPACE=staging")
	if r.Stdout != "fleet.web[0]\nfleet.web[1]\n" {
		t.Errorf("NOVA_WORKSPACE=staging state list:\n%s", r.Stdout)
	}
	r = novaEnv(t, dir, []string{"NOVA_WORKSPACE=staging"}, "workspace", "list").Must(t, 0, "workspace list with NOVA_WORKSPACE")
	if r.Stdout != "  default\n* staging\n" {
		t.Errorf("workspace list with NOVA_WORKSPACE=staging:\n%s", r.Stdout)
	}
	r = novaEnv(t, dir, []string{"NOVA_WORKSPACE=staging"}, "workspace", "select", "default").Must(t, 1, "workspace select under NOVA_WORKSPACE")
	if !strings.Contains(r.Stderr, "NOVA_WORKSPACE") {
		t.Errorf("workspace select under NOVA_WORKSPACE: %s", r.Stderr)
	}
	if got := nova(t, dir, "workspace", "show").Must(t, 0, "show").Stdout; got != "default\n" {
		t.Errorf("the selection in .nova/environment changed to %q", got)
	}
	r = novaEnv(t, dir, []string{"NOVA_WORKSPACE=qa"}, "plan").Must(t, 1, "plan with NOVA_WORKSPACE naming no workspace")
	for _, want := range []string{"NOVA_WORKSPACE", `"qa" does not exist`, "default", "staging"} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("plan with NOVA_WORKSPACE=qa: stderr lacks %q:\n%s", want, r.Stderr)
		}
	}
}

// A workspace that still manages VMs is deleted only with -force; a
// locked one not even then.
func TestWorkspaceDeleteRefusesManagedVMs(t *testing.T) {
	dir := newDir(t, prefixSpec)
	nova(t, dir, "workspace", "new", "staging").Must(t, 0, "workspace new staging")
	novaEnv(t, dir, []string{"NOVA_VAR_prefix=stg"}, "apply", "-auto-approve").Must(t, 0, "apply in staging")
	nova(t, dir, "workspace", "select", "default").Must(t, 0, "select default")
	r := nova(t, dir, "workspace", "delete", "staging").Must(t, 1, "delete of a workspace that manages VMs")
	if !strings.Contains(r.Stderr, "-force") {
		t.Errorf("refused delete does not say -force:\n%s", r.Stderr)
	}
	nova(t, dir, "workspace", "delete", "-force", "staging").Must(t, 0, "delete -force")
	if got := nova(t, dir, "workspace", "list").Must(t, 0, "list").Stdout; got != "* default\n" {
		t.Errorf("after delete -force:\n%s", got)
	}
}
