package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBadSpecGetsDiagnosticsNotPanics(t *testing.T) {
	cases := []struct {
		name, spec string
		want       []string // in stderr
	}{
		{"syntax error", "fleet \"web\" {\n  cpu = \n}\n",
			[]string{"Error:", "main.nova.hcl line 2", "^"}},
		{"unknown attribute", defaultSpec().String() + "\nvm \"x\" {\n  template = template.ubuntu\n  cpu = 1\n  memory_gb = 1\n  colour = \"red\"\n}\n",
			[]string{"Unsupported argument", "line 32", `in vm "x"`}},
		{"cpu out of range", strings.Replace(defaultSpec().String(), "cpu        = 2", "cpu        = 0", 1),
			[]string{"Value out of range", "must be between 1 and 768", `in fleet "web"`}},
		{"undefined variable", strings.Replace(defaultSpec().String(), "count      = 3", "count      = var.nope", 1),
			[]string{"Reference to undeclared variable", "No variable named nope is declared."}},
		{"fleet in count", strings.Replace(defaultSpec().String(), "count      = 3", "count      = length(fleet.db)", 1),
			[]string{"Fleets cannot be referred to here", "fleet.db refers to a fleet, but a fleet's VMs exist only once they are planned", "^^^^^^^^"}},
		{"fleet in a local", defaultSpec().String() + "\nlocals {\n  n = length(vm.db-01)\n}\n",
			[]string{"Fleets cannot be referred to here", "vm.db-01 refers to a vm", "local values, count, for_each"}},
		{"depends_on cycle", defaultSpec().String() + `
fleet "a" {
  template = template.ubuntu
  cpu = 1
  memory_gb = 1
  depends_on = [fleet.b]
}
fleet "b" {
  template = template.ubuntu
  cpu = 1
  memory_gb = 1
  depends_on = [fleet.a]
}
`, []string{"Cycle in depends_on", "fleet.a → fleet.b → fleet.a"}},
		{"duplicate VM names", defaultSpec().String() + `
fleet "web2" {
  count = 1
  name = "web-0"
  template = template.ubuntu
  cpu = 1
  memory_gb = 1
}
`, []string{"Duplicate VM name", `"web-0"`}},
		{"duplicate VM name on the burst provider", burstFleets(false, "") + `
vm "other" {
  provider  = provider.sim.cloud
  name      = "web-1"
  template  = template.ubuntu
  cpu       = 1
  memory_gb = 1
}
`, []string{"Duplicate VM name", `"web-1" on provider sim.cloud`, "burst_to"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := newDir(t, tc.spec)
			for _, cmd := range [][]string{{"validate"}, {"plan"}, {"apply", "-auto-approve"}} {
				r := nova(t, dir, cmd...).Must(t, 1, strings.Join(cmd, " "))
				for _, w := range tc.want {
					if !strings.Contains(r.Stderr, w) {
						t.Errorf("%s: stderr lacks %q:\n%s", cmd[0], w, r.Stderr)
					}
				}
				if strings.Contains(r.Stderr, "panic") || strings.Contains(r.Stderr, "goroutine ") {
					t.Errorf("%s panicked:\n%s", cmd[0], r.Stderr)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, ".nova", "state.json")); err == nil {
				t.Error("a failed apply wrote state")
			}
		})
	}
}

func TestCaretPointsAtTheProblem(t *testing.T) {
	dir := newDir(t, "provider \"sim\" \"lab\" {}\ntemplate \"t\" {\n  sim { image = \"x\" }\n}\nvm \"a\" {\n  template  = template.t\n  cpu       = \"many\"\n  memory_gb = 1\n}\n")
	r := nova(t, dir, "validate").Must(t, 1, "validate")
	want := "  7:   cpu       = \"many\"\n" + strings.Repeat(" ", len("  7:   cpu       = ")) + "^^^^^^\n"
	if !strings.Contains(r.Stderr, want) {
		t.Errorf("the caret does not underline the value; want\n%s\ngot:\n%s", want, r.Stderr)
	}
}

func TestCorruptStateIsRefusedAndKept(t *testing.T) {
	dir := t.TempDir()
	applySpec(t, dir, defaultSpec())
	path := filepath.Join(dir, ".nova", "state.json")
	data, _ := os.ReadFile(path)
	corrupt := data[:len(data)/3]
	if err := os.WriteFile(path, corrupt, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range [][]string{{"plan"}, {"apply", "-auto-approve"}, {"show"}, {"state", "list"}} {
		r := nova(t, dir, cmd...).Must(t, 1, strings.Join(cmd, " "))
		if !strings.Contains(r.Stderr, "state.json") || !strings.Contains(r.Stderr, "line") {
			t.Errorf("%s: the error does not name the file and line:\n%s", cmd[0], r.Stderr)
		}
	}
	after, _ := os.ReadFile(path)
	if string(after) != string(corrupt) {
		t.Error("the corrupt state file was rewritten")
	}
}

func TestBadVariablesAndFlags(t *testing.T) {
	spec := "variable \"n\" {\n  type = number\n}\n" + strings.Replace(defaultSpec().String(), "count      = 3", "count      = var.n", 1)
	dir := newDir(t, spec)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"plan"}, "NOVA_VAR_n"},
		{[]string{"plan", "-var", "n=abc"}, "<value for var.n>"},
		{[]string{"plan", "-var", "m=1", "-var", "n=1"}, "undeclared variable"},
		{[]string{"plan", "-var", "novalue"}, "NAME=VALUE"},
		{[]string{"plan", "-var-file", "missing.nova.tfvars", "-var", "n=1"}, "missing.nova.tfvars"},
		{[]string{"plan", "-target", "fleet.nope", "-var", "n=1"}, "-target=fleet.nope"},
		{[]string{"plan", "-target", "fleet.web[01]", "-var", "n=1"}, "leading zeros: write [1]"},
		{[]string{"apply", "-replace", "web[0]", "-var", "n=1"}, "write fleet.web for a fleet"},
		{[]string{"state", "show", "fleet.web["}, `"fleet.web[" is not a VM address`},
		{[]string{"state", "rm", "vm.db[0]"}, "a vm block has a single instance"},
		{[]string{"frobnicate"}, "unknown command"},
	}
	for _, tc := range cases {
		r := nova(t, dir, tc.args...).Must(t, 1, strings.Join(tc.args, " "))
		if !strings.Contains(r.Stderr, tc.want) {
			t.Errorf("%v: stderr lacks %q:\n%s", tc.args, tc.want, r.Stderr)
		}
	}
	t.Setenv("NOVA_VAR_n", "2")
	nova(t, dir, "plan").Must(t, 0, "plan with NOVA_VAR_n")
}
