package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// policySpec is a dev spec: fleet.web has two small VMs, vm.db has 96 GB
// and, unless tagged, no cost-center tag, which examples/policy denies.
func policySpec(dbTags string) string {
	return `provider "sim" "lab" {
  hosts          = 4
  host_cpu       = 32
  host_memory_gb = 256
}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

fleet "web" {
  provider  = provider.sim.lab
  count     = 2
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
  tags      = { env = "dev" }
}

vm "db" {
  provider  = provider.sim.lab
  template  = template.ubuntu
  cpu       = 8
  memory_gb = 96
  tags      = ` + dbTags + `
}
`
}

const untaggedDB = `{ env = "dev", owner = "data" }`
const taggedDB = `{ env = "dev", owner = "data", cost-center = "cc-42" }`

// examplePolicies is the absolute path of examples/policy.
func examplePolicies(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../../examples/policy")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func mustContain(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, got)
		}
	}
}

// A denial shows the plan, names the address, exits 1 and saves nothing.
func TestPolicyDenialStopsPlan(t *testing.T) {
	dir := newDir(t, policySpec(untaggedDB))
	r := nova(t, dir, "plan", "-policy="+examplePolicies(t), "-out=p.plan").Must(t, 1, "plan with a denial")
	mustContain(t, "stdout", r.Stdout, "# vm.db will be created", "Policy check failed: 1 denial, 2 warnings.", "The plan was not saved")
	mustContain(t, "stderr", r.Stderr, "Error: Denied by policy: vm.db",
		"vm.db has 96 GB of memory and no cost-center tag", "Warning: Policy warning: fleet.web[0]")
	if _, err := os.Stat(filepath.Join(dir, "p.plan")); !os.IsNotExist(err) {
		t.Errorf("a denied plan was saved (stat: %v)", err)
	}
}

// With -json, standard output is the plan document alone.
func TestPolicyDenialWithJSON(t *testing.T) {
	dir := newDir(t, policySpec(untaggedDB))
	r := nova(t, dir, "plan", "-json", "-policy="+examplePolicies(t)).Must(t, 1, "plan -json with a denial")
	var doc testPlan
	if err := json.Unmarshal([]byte(r.Stdout), &doc); err != nil || len(doc.Changes) != 3 {
		t.Errorf("stdout is not the plan document (%v):\n%s", err, r.Stdout)
	}
	mustContain(t, "stderr", r.Stderr, "Denied by policy: vm.db")
}

// With -markdown, the summary lists what the policies say.
func TestPolicyResultsInMarkdown(t *testing.T) {
	dir := newDir(t, policySpec(untaggedDB))
	r := nova(t, dir, "plan", "-markdown", "-policy="+examplePolicies(t)).Must(t, 1, "plan -markdown with a denial")
	mustContain(t, "stdout", r.Stdout, "#### Policy: 1 denial, 2 warnings", "⛔ **deny** `vm.db`: vm.db has 96 GB of memory", "⚠ **warn** `fleet.web[0]`")
	if strings.Contains(r.Stdout, "Policy check failed") {
		t.Errorf("the text verdict is in the Markdown summary:\n%s", r.Stdout)
	}
	mustContain(t, "stderr", r.Stderr, "Denied by policy: vm.db")
}

// apply refuses a denied plan before asking, and changes nothing.
func TestPolicyDenialStopsApply(t *testing.T) {
	dir := newDir(t, policySpec(untaggedDB))
	r := nova(t, dir, "apply", "-auto-approve", "-policy="+examplePolicies(t)).Must(t, 1, "apply with a denial")
	mustContain(t, "stderr", r.Stderr, "Denied by policy: vm.db")
	mustContain(t, "stdout", r.Stdout, "# vm.db will be created", "Policy check failed")
	if s := nova(t, dir, "state", "list").Must(t, 0, "state list").Stdout; strings.TrimSpace(s) != "" {
		t.Errorf("a denied apply changed the state:\n%s", s)
	}
}

// Warnings are printed and the plan goes on.
func TestPolicyWarningsDoNotFail(t *testing.T) {
	dir := newDir(t, policySpec(taggedDB))
	r := nova(t, dir, "plan", "-policy="+examplePolicies(t)).Must(t, 0, "plan with warnings")
	mustContain(t, "stdout", r.Stdout, "Policy check passed: 0 denials, 2 warnings.")
	mustContain(t, "stderr", r.Stderr, "Warning: Policy warning: fleet.web[0]", "fleet.web[0] has no owner tag", "Policy warning: fleet.web[1]")
	r = nova(t, dir, "apply", "-auto-approve", "-policy="+examplePolicies(t)).Must(t, 0, "apply with warnings")
	mustContain(t, "stdout", r.Stdout, "Apply complete!")
}

// The spec's policy setting applies without -policy.
func TestPolicyFromSpecSetting(t *testing.T) {
	dir := newDir(t, policySpec(untaggedDB)+"\nnovacron {\n  policy {\n    dir = \"rules\"\n  }\n}\n")
	copyPolicies(t, examplePolicies(t), filepath.Join(dir, "rules"))
	r := nova(t, dir, "plan").Must(t, 1, "plan with the spec's policies")
	mustContain(t, "stderr", r.Stderr, "Denied by policy: vm.db")
	nova(t, dir, "policy", "test").Must(t, 0, "policy test with the spec's folder")
	os.RemoveAll(filepath.Join(dir, "rules"))
	r = nova(t, dir, "plan").Must(t, 1, "plan with a missing policy folder")
	mustContain(t, "stderr", r.Stderr, "Cannot read the policies", "on main.nova.hcl line 30, in novacron:", "Cannot read the policies in rules: no such file or directory.")
}

func copyPolicies(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(from, "*.rego"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err == nil {
			err = os.WriteFile(filepath.Join(to, filepath.Base(f)), b, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// apply PLANFILE checks the saved plan too.
func TestPolicyChecksSavedPlan(t *testing.T) {
	dir := newDir(t, policySpec(untaggedDB))
	nova(t, dir, "plan", "-out=p.plan").Must(t, 0, "plan without policies")
	r := nova(t, dir, "apply", "-policy="+examplePolicies(t), "p.plan").Must(t, 1, "apply a saved plan a policy denies")
	mustContain(t, "stderr", r.Stderr, "Denied by policy: vm.db")
	mustContain(t, "stdout", r.Stdout, "# vm.db will be created", "Policy check failed")
	if s := nova(t, dir, "state", "list").Must(t, 0, "state list").Stdout; strings.TrimSpace(s) != "" {
		t.Errorf("a denied saved plan was applied:\n%s", s)
	}
}

// A policy that does not compile is an error at its file, line and
// column, before anything is planned.
func TestBrokenPolicyIsADiagnostic(t *testing.T) {
	dir := newDir(t, policySpec(taggedDB))
	pol := filepath.Join(dir, "pol")
	writePolicy(t, filepath.Join(pol, "a.rego"), "package novacron\n\ndeny contains msg if {\n\tinput.x == y\n\tmsg := \"m\"\n}\n")
	r := nova(t, dir, "plan", "-policy=pol").Must(t, 1, "plan with a policy that does not compile")
	mustContain(t, "stderr", r.Stderr, "Error: Invalid policy", "on pol/a.rego line 4:", "  4: \tinput.x == y\n     \t^^^^^^^^^^^^\n", "Var y is unsafe.")
	if strings.Contains(r.Stdout, "will be created") {
		t.Errorf("a broken policy still planned:\n%s", r.Stdout)
	}
	r = nova(t, dir, "plan", "-policy=").Must(t, 1, "plan with an empty -policy")
	mustContain(t, "stderr", r.Stderr, "-policy is empty")
	// Every file that does not parse is reported.
	writePolicy(t, filepath.Join(pol, "b.rego"), "package novacron.b\n\nwarn contains msg if {\n  msg := \n}\n")
	writePolicy(t, filepath.Join(pol, "c.rego"), "package novacron.c\n\ndeny[msg] { msg := \"v0\" }\n")
	r = nova(t, dir, "plan", "-policy=pol").Must(t, 1, "plan with policies that do not parse")
	mustContain(t, "stderr", r.Stderr, "on pol/b.rego line 5:", "Unexpected } token.", "on pol/c.rego line 3:", "Policies are read as Rego v1")
}

func writePolicy(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// policy test runs the shipped examples' tests, and fails on a failing one.
func TestPolicyTestCommand(t *testing.T) {
	r := nova(t, ".", "policy", "test", examplePolicies(t)).Must(t, 0, "policy test examples/policy")
	mustContain(t, "stdout", r.Stdout, "PASS  ", "test_big_vm_without_cost_center_is_denied", "0 failed, 0 errors.")

	dir := t.TempDir()
	writePolicy(t, filepath.Join(dir, "p.rego"), "package novacron\n\ndeny contains \"x\" if { input.a }\n")
	writePolicy(t, filepath.Join(dir, "p_test.rego"), "package novacron_test\n\nimport data.novacron\n\ntest_denies if { count(novacron.deny) == 1 with input as {\"a\": true} }\n\ntest_wrong if { count(novacron.deny) == 0 with input as {\"a\": true} }\n")
	r = nova(t, dir, "policy", "test", ".").Must(t, 1, "policy test with a failing test")
	mustContain(t, "stdout", r.Stdout, "PASS  p_test.rego:5: data.novacron_test.test_denies", "FAIL  p_test.rego:7: data.novacron_test.test_wrong",
		"Policy tests: 1 passed, 1 failed, 0 errors.")
}
