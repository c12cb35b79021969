package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStateListShowRm(t *testing.T) {
	dir := t.TempDir()
	applySpec(t, dir, defaultSpec())
	r := nova(t, dir, "state", "list").Must(t, 0, "state list")
	if got := strings.Fields(r.Stdout); strings.Join(got, " ") != "fleet.web[0] fleet.web[1] fleet.web[2] vm.db-01" {
		t.Errorf("state list = %v", got)
	}
	r = nova(t, dir, "state", "list", "fleet.web").Must(t, 0, "state list fleet.web")
	if n := len(strings.Fields(r.Stdout)); n != 3 {
		t.Errorf("state list fleet.web lists %d addresses, want 3", n)
	}
	r = nova(t, dir, "state", "show", "vm.db-01").Must(t, 0, "state show")
	for _, want := range []string{`vm "db-01"`, `host      = "hv-01"`, "cpu       = 4"} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("state show lacks %q:\n%s", want, r.Stdout)
		}
	}
	nova(t, dir, "state", "show", "vm.nope").Must(t, 1, "state show of an unknown address")
	nova(t, dir, "state", "rm", "vm.db-01").Must(t, 0, "state rm")
	history, _ := os.ReadFile(filepath.Join(dir, ".nova", "history.jsonl"))
	if !strings.Contains(string(history), `"kind":"state rm"`) || !strings.Contains(string(history), `"address":"vm.db-01"`) {
		t.Errorf("state rm left no audit record:\n%s", history)
	}

	// The VM still exists, no longer managed: the spec that still names it
	// now conflicts with it instead of adopting it again.
	r = nova(t, dir, "plan").Must(t, 1, "plan after state rm")
	if !strings.Contains(r.Stderr, "VM name already in use") {
		t.Errorf("plan after state rm:\n%s", r.Stderr)
	}
	s := defaultSpec()
	s.withWeb = true
	spec := strings.Replace(s.String(), `vm "db-01"`, `vm "db-02"`, 1)
	spec = strings.Replace(spec, "vm.db-01", "vm.db-02", 1)
	writeSpec(t, dir, spec)
	p := planJSON(t, dir)
	if got := strings.Join(p.actions(), ","); got != "vm.db-02 create" {
		t.Errorf("after forgetting db-01 the plan is %q, want only the new db-02 create", got)
	}
	for _, vm := range inventory(t, dir).VMs {
		if vm.Name == "db-01" && vm.Address != "" {
			t.Errorf("the removed VM is still reported as managed: %+v", vm)
		}
	}
}

func TestFmt(t *testing.T) {
	dir := newDir(t, "fleet \"web\" {\ncpu=1\n    memory_gb   = 2\n}\n")
	r := nova(t, dir, "fmt", "-check").Must(t, 3, "fmt -check of an unformatted file")
	if strings.TrimSpace(r.Stdout) != "main.nova.hcl" {
		t.Errorf("fmt -check lists %q", r.Stdout)
	}
	nova(t, dir, "fmt").Must(t, 0, "fmt")
	got, _ := os.ReadFile(filepath.Join(dir, "main.nova.hcl"))
	want := "fleet \"web\" {\n  cpu       = 1\n  memory_gb = 2\n}\n"
	if string(got) != want {
		t.Errorf("formatted:\n%s\nwant:\n%s", got, want)
	}
	nova(t, dir, "fmt", "-check").Must(t, 0, "fmt -check of a formatted file")
	writeSpec(t, dir, "fleet {{{\n")
	r = nova(t, dir, "fmt").Must(t, 1, "fmt of a file with a syntax error")
	if !strings.Contains(r.Stderr, "main.nova.hcl line 1") {
		t.Errorf("fmt error does not point at the file:\n%s", r.Stderr)
	}
}

func TestValidateVersionGraph(t *testing.T) {
	dir := newDir(t, defaultSpec().String())
	r := nova(t, dir, "validate").Must(t, 0, "validate")
	if !strings.Contains(r.Stdout, "The spec is valid") {
		t.Errorf("validate: %s", r.Stdout)
	}
	if r = nova(t, dir, "version").Must(t, 0, "version"); !strings.HasPrefix(r.Stdout, "nova-plan v") {
		t.Errorf("version: %s", r.Stdout)
	}
	r = nova(t, dir, "graph").Must(t, 0, "graph")
	for _, want := range []string{"digraph novacron", `"vm.db-01 (create)"`, `"vm.db-01: applied"`, "->"} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("graph lacks %q:\n%s", want, r.Stdout)
		}
	}
	other := t.TempDir()
	r = nova(t, other, "-chdir="+dir, "plan", "-detailed-exitcode").Must(t, 2, "plan with -chdir")
	if !strings.Contains(r.Stdout, "4 to add") {
		t.Errorf("-chdir plan: %s", r.Stdout)
	}
}
