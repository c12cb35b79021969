package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// pipeline runs examples/ci/pipeline.sh STAGE in dir, as a CI job would,
// with the binary under test as nova-plan.
func pipeline(t *testing.T, dir, stage string) (string, int) {
	t.Helper()
	script, err := filepath.Abs(filepath.Join("..", "..", "examples", "ci", "pipeline.sh"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", script, stage)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "NOVA_PLAN="+novaBin, "SPEC_DIR=fleet", "POLICY_DIR=policy")
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), code
}

// copyTree copies the regular files of src into dst: the spec or the
// policies, not the state a run left beside them.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue // .nova, which make demo leaves in examples/quickstart
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestExamplePipeline runs the steps examples/ci's GitHub Actions and
// GitLab CI files run, on the quickstart and examples/policy: check, a plan
// with changes (exit 2) and its Markdown summary, the apply of the saved
// plan, a plan with no changes (exit 0); then a policy that denies stops
// the plan stage (exit 1) naming the address, and writes no plan.
func TestExamplePipeline(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, filepath.Join("..", "..", "examples", "quickstart"), filepath.Join(dir, "fleet"))
	copyTree(t, filepath.Join("..", "..", "examples", "policy"), filepath.Join(dir, "policy"))

	if out, code := pipeline(t, dir, "check"); code != 0 || !strings.Contains(out, "0 failed, 0 errors") {
		t.Fatalf("check: exit %d, want 0 with every policy test passing:\n%s", code, out)
	}
	if out, code := pipeline(t, dir, "plan"); code != 2 {
		t.Fatalf("plan: exit %d, want 2 (changes):\n%s", code, out)
	}
	summary, err := os.ReadFile(filepath.Join(dir, "summary.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(summary), "**Plan: 5 to add, 0 to change, 0 to destroy, 0 to migrate.**") {
		t.Errorf("summary.md lacks the plan's headline:\n%s", summary)
	}
	if out, code := pipeline(t, dir, "apply"); code != 0 || !strings.Contains(out, "Apply complete!") {
		t.Fatalf("apply: exit %d, want 0 and a complete apply:\n%s", code, out)
	}
	if out, code := pipeline(t, dir, "plan"); code != 0 {
		t.Fatalf("plan after apply: exit %d, want 0 (no changes):\n%s", code, out)
	}

	deny := "package novacron.no_db\n\ndeny contains {\"msg\": \"no databases here\", \"address\": f.address} if {\n\tsome f in input.fleets\n\tf.address == \"vm.db-01\"\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "policy", "no_db.rego"), []byte(deny), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "plan.bin")); err != nil {
		t.Fatal(err)
	}
	out, code := pipeline(t, dir, "plan")
	if code != 1 || !strings.Contains(out, "vm.db-01") || !strings.Contains(out, "no databases here") {
		t.Fatalf("plan with a denying policy: exit %d, want 1 naming vm.db-01 and the message:\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "plan.bin")); err == nil {
		t.Errorf("a denied plan was saved")
	}
	if summary, err := os.ReadFile(filepath.Join(dir, "summary.md")); err != nil || !strings.Contains(string(summary), "no databases here") {
		t.Errorf("the summary a denied plan leaves for the pull request does not list the denial (%v):\n%s", err, summary)
	}
}
