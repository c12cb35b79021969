package policy

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// writePolicies writes files (name → Rego) into a new folder.
func writePolicies(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestEvaluateContract(t *testing.T) {
	dir := writePolicies(t, map[string]string{
		"a.rego": `package novacron
deny contains msg if { some c in input.changes; c.after.cpu > 8; msg := sprintf("%s is too big", [c.address]) }
`,
		"b.rego": `package novacron.tags
warn contains {"msg": "no owner", "address": c.address} if { some c in input.changes; not c.after.tags.owner }
`,
		"other.rego":  "package elsewhere\ndeny contains \"never evaluated\" if { true }\n",
		"b_test.rego": "package novacron.tags_test\ndeny contains \"tests are not evaluated\" if { true }\n",
	})
	set, diags := Load(context.Background(), Folder{Path: dir})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	input := `{"changes": [{"address": "vm.a", "after": {"cpu": 16, "tags": {}}}, {"address": "vm.b", "after": {"cpu": 2, "tags": {"owner": "x"}}}]}`
	got, diags := set.Evaluate(context.Background(), []byte(input))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	want := []Result{{Level: Deny, Message: "vm.a is too big"}, {Level: Warn, Address: "vm.a", Message: "no owner"}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("results (-want +got):\n%s", d)
	}
	if !Denied(got) || Denied(got[1:]) {
		t.Errorf("Denied is wrong for %v", got)
	}
}

func TestLoadDiagnostics(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string // file:line:col and a piece of the detail
	}{
		{"parse error", map[string]string{"p.rego": "package novacron\n\ndeny contains msg if {\n  msg := \n}\n"}, "p.rego:5:1"},
		{"rego v0", map[string]string{"p.rego": "package novacron\n\ndeny[msg] { msg := \"x\" }\n"}, "p.rego:3:1 Policies are read as Rego v1"},
		{"unsafe var", map[string]string{"p.rego": "package novacron\n\ndeny contains msg if {\n\tx == 1\n\tmsg := \"a\"\n}\n"}, "p.rego:4:2 Var x is unsafe"},
		{"deny not a set", map[string]string{"p.rego": "package novacron\n\ndeny := true\n"}, "p.rego:3:1 deny must be a set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writePolicies(t, tt.files)
			_, diags := Load(context.Background(), Folder{Path: dir})
			if !diags.HasErrors() || diags[0].Subject == nil {
				t.Fatalf("want an error with a place, got %v", diags)
			}
			s := diags[0].Subject
			got := strings.TrimPrefix(s.Filename, dir+"/") + ":" + strconv.Itoa(s.Start.Line) + ":" + strconv.Itoa(s.Start.Column) + " " + diags[0].Detail
			wantPlace, wantText, _ := strings.Cut(tt.want, " ")
			if !strings.HasPrefix(got, wantPlace+" ") || !strings.Contains(got, wantText) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLoadRefusesAnEmptyFolder(t *testing.T) {
	_, diags := Load(context.Background(), Folder{Path: t.TempDir()})
	if !diags.HasErrors() || !strings.Contains(diags[0].Detail, "no .rego file") {
		t.Errorf("want a no .rego file error, got %v", diags)
	}
}

func TestBadResultShape(t *testing.T) {
	dir := writePolicies(t, map[string]string{"p.rego": "package novacron\n\ndeny contains 42 if { true }\n"})
	set, diags := Load(context.Background(), Folder{Path: dir})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	_, diags = set.Evaluate(context.Background(), []byte(`{}`))
	if !diags.HasErrors() || !strings.Contains(diags[0].Detail, "gave 42") || diags[0].Subject == nil || diags[0].Subject.Start.Line != 3 {
		t.Errorf("want an error at line 3 naming 42, got %v", diags)
	}
}

func TestRunTestsExamples(t *testing.T) {
	results, _, diags := RunTests(context.Background(), Folder{Path: "../../examples/policy"})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if len(results) < 10 {
		t.Errorf("want the examples' tests, got %d", len(results))
	}
	for _, r := range results {
		if !r.Pass {
			t.Errorf("%s at %s: failed %s", r.Name, r.At, r.Error)
		}
	}
}

func TestRunTestsReportsFailures(t *testing.T) {
	dir := writePolicies(t, map[string]string{
		"p.rego":      "package novacron\n\ndeny contains \"x\" if { input.a }\n",
		"p_test.rego": "package novacron_test\n\nimport data.novacron\n\ntest_pass if { count(novacron.deny) == 1 with input as {\"a\": true} }\n\ntest_fail if { count(novacron.deny) == 0 with input as {\"a\": true} }\n",
	})
	results, _, diags := RunTests(context.Background(), Folder{Path: dir})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var got []string
	for _, r := range results {
		got = append(got, r.Name+" "+map[bool]string{true: "pass", false: "fail"}[r.Pass]+" line "+strconv.Itoa(r.At.Start.Line))
	}
	want := []string{"data.novacron_test.test_pass pass line 5", "data.novacron_test.test_fail fail line 7"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestLoadRefusesRulesOutsideTheNamespace: conftest's usual package main
// would otherwise compile and check nothing, passing every plan.
func TestLoadRefusesRulesOutsideTheNamespace(t *testing.T) {
	dir := writePolicies(t, map[string]string{
		"main.rego": "package main\n\ndeny contains \"x\" if { true }\n",
		"lib.rego":  "package lib\n\nbig(vm) if { vm.cpu > 8 }\n",
	})
	_, diags := Load(context.Background(), Folder{Path: dir})
	var summaries []string
	for _, d := range diags {
		summaries = append(summaries, d.Summary)
		if d.Summary == "Policy not checked" && (d.Subject == nil || !strings.HasSuffix(d.Subject.Filename, "main.rego") || d.Subject.Start.Line != 1) {
			t.Errorf("the warning is not at main.rego's package line: %v", d.Subject)
		}
	}
	if !diags.HasErrors() || !slices.Contains(summaries, "No policy rules") {
		t.Errorf("want a No policy rules error, got %v", diags)
	}
	if n := strings.Count(strings.Join(summaries, "|"), "Policy not checked"); n != 1 {
		t.Errorf("want one Policy not checked warning (main, not the helper library), got %d: %v", n, summaries)
	}
}
