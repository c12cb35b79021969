package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// Numeric and duration flags are bounded and refused in words, before
// anything is planned or applied: -parallelism=9223372036854775807 panicked
// in the executor (leaving a history "start" with no "end"), 1e9 ran out of
// memory; -lock-timeout=-5s and -chdir= were accepted; -parallelism=1.5 got
// Go's "parse error".
func TestFlagValuesAreChecked(t *testing.T) {
	dir := newDir(t, defaultSpec().String())
	parallelism := "Invalid value %q for flag -parallelism: it must be a whole number from 1 to 1000, the most actions run at once."
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"apply", "-auto-approve", "-parallelism=9223372036854775807"}, fmt.Sprintf(parallelism, "9223372036854775807")},
		{[]string{"apply", "-auto-approve", "-parallelism=1000000000"}, fmt.Sprintf(parallelism, "1000000000")},
		{[]string{"apply", "-auto-approve", "-parallelism=1001"}, fmt.Sprintf(parallelism, "1001")},
		{[]string{"apply", "-auto-approve", "-parallelism=0"}, fmt.Sprintf(parallelism, "0")},
		{[]string{"apply", "-auto-approve", "-parallelism=-3"}, fmt.Sprintf(parallelism, "-3")},
		{[]string{"destroy", "-auto-approve", "-parallelism=0"}, fmt.Sprintf(parallelism, "0")},
		{[]string{"plan", "-parallelism=1.5"}, fmt.Sprintf(parallelism, "1.5")},
		{[]string{"graph", "-parallelism=-1"}, fmt.Sprintf(parallelism, "-1")},
		{[]string{"plan", "-lock-timeout=-5s"}, `Invalid value "-5s" for flag -lock-timeout: it must not be negative: it is how long to wait.`},
		{[]string{"apply", "-lock-timeout=5"}, `Invalid value "5" for flag -lock-timeout: it must be a duration with a unit, such as 30s, 2m or 1h30m.`},
		{[]string{"import", "-lock-timeout=-1m", "fleet.web[0]", "x"}, `flag -lock-timeout: it must not be negative`},
		{[]string{"inventory", "-lock-timeout=-1s"}, `flag -lock-timeout: it must not be negative`},
		{[]string{"state", "rm", "-lock-timeout=-1s", "fleet.web[0]"}, `flag -lock-timeout: it must not be negative`},
		{[]string{"-chdir=", "plan"}, "Error: Invalid -chdir\n\n-chdir is empty: give the folder to run the command in"},
	} {
		r := nova(t, dir, tc.args...).Must(t, 1, strings.Join(tc.args, " "))
		if !strings.Contains(r.Stderr, tc.want) {
			t.Errorf("%v: stderr does not explain the refusal with %q:\n%s", tc.args, tc.want, r.Stderr)
		}
		if strings.Contains(r.Stderr, "goroutine") || strings.Contains(r.Stderr, "Usage:") {
			t.Errorf("%v: want one error, not a crash or the whole usage:\n%s", tc.args, r.Stderr)
		}
	}
	if n := len(inventory(t, dir).VMs); n != 0 {
		t.Errorf("a refused command made %d VMs", n)
	}
	if _, err := os.Stat(filepath.Join(dir, ".nova", "history.jsonl")); err == nil {
		t.Error("a refused command wrote the audit history")
	}
	nova(t, dir, "apply", "-auto-approve", "-parallelism=1000", "-lock-timeout=1s").Must(t, 0, "apply at the largest parallelism")
}

// A flag after the arguments is an argument to Go's flag package: `apply
// p.plan -no-color` said only "apply takes at most one argument". Every
// command says the flags must come first, and shows the command line that
// works.
func TestFlagsAfterArguments(t *testing.T) {
	dir := newDir(t, defaultSpec().String())
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"apply", "p.plan", "-no-color"}, []string{"Error: Flags must come before the plan file", "-no-color follows p.plan", "nova-plan apply -no-color p.plan"}},
		{[]string{"apply", "-auto-approve", "p.plan", "--lock-timeout", "3s"}, []string{"nova-plan apply -auto-approve --lock-timeout 3s p.plan"}},
		{[]string{"show", "p.plan", "-json"}, []string{"Flags must come before the plan file", "nova-plan show -json p.plan"}},
		{[]string{"import", "fleet.web[0]", "vm-1", "-force"}, []string{"Flags must come before the address and the id", "nova-plan import -force 'fleet.web[0]' vm-1"}},
		{[]string{"state", "rm", "fleet.web[0]", "-lock-timeout=2s"}, []string{"Flags must come before the addresses", "nova-plan state rm -lock-timeout=2s 'fleet.web[0]'"}},
		{[]string{"plan", "x", "-var", "a=b"}, []string{"Flags must come before the arguments", "nova-plan plan -var a=b x"}},
		{[]string{"validate", "extra"}, []string{"validate takes no arguments"}},
		{[]string{"inventory", "extra"}, []string{"inventory takes no arguments"}},
	} {
		r := nova(t, dir, tc.args...).Must(t, 1, strings.Join(tc.args, " "))
		mustSay(t, r.Stderr, tc.want...)
	}
}

// Every command's -help exits 0 and shows the arguments it accepts.
func TestCommandHelp(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args      []string
		want, not string
	}{
		{[]string{"state", "-help"}, "Usage: nova-plan state <subcommand>", ""},
		{[]string{"state", "rm", "-help"}, "Usage: nova-plan state rm [options] ADDRESS…", ""},
		{[]string{"destroy", "-help"}, "Usage: nova-plan destroy [options]", "PLANFILE"},
		{[]string{"apply", "-help"}, "Usage: nova-plan apply [options] [PLANFILE]", ""},
		{[]string{"import", "-help"}, "Usage: nova-plan import [options] ADDRESS ID", ""},
	}
	for _, tc := range cases {
		r := nova(t, dir, tc.args...).Must(t, 0, strings.Join(tc.args, " "))
		if !strings.Contains(r.Stderr, tc.want) || (tc.not != "" && strings.Contains(r.Stderr, tc.not)) {
			t.Errorf("%v: the help should say %q and not %q:\n%s", tc.args, tc.want, tc.not, r.Stderr)
		}
	}
}

// Errors speak to the user, not in Go package names.
func TestErrorsNameNoGoPackage(t *testing.T) {
	dir := newDir(t, defaultSpec().String())
	if err := os.MkdirAll(filepath.Join(dir, ".nova", "state.json"), 0o700); err != nil {
		t.Fatal(err)
	}
	runs := []result{
		nova(t, dir, "plan").Must(t, 1, "plan with a state that cannot be read"),
		nova(t, dir, "state", "list").Must(t, 1, "state list with a state that cannot be read"),
		nova(t, dir, "show").Must(t, 1, "show with a state that cannot be read"),
		nova(t, t.TempDir(), "force-unlock", "-force", "no-such-lock").Must(t, 1, "force-unlock without a lock"),
	}
	goPackage := regexp.MustCompile(`(^|: )[Ss]tate(/[a-z]+)?: `)
	for _, r := range runs {
		if goPackage.MatchString(r.Stderr) {
			t.Errorf("an error names a Go package:\n%s", r.Stderr)
		}
	}
	if !strings.Contains(runs[0].Stderr, "Error: Cannot read the state") {
		t.Errorf("plan does not say what failed:\n%s", runs[0].Stderr)
	}
}

// Ctrl-C while plan reads the inventory stops it with "Interrupted" and
// exit 1; no provider is blamed.
func TestInterruptPlanDuringInventory(t *testing.T) {
	dir := newDir(t, slowSpec(1, "60s"))
	cmd, out := start(t, dir, "plan")
	waitFor(t, "plan to take the lock", 10*time.Second, lockHeld(dir))
	time.Sleep(300 * time.Millisecond) // into the inventory read, which takes a minute
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("interrupted plan: %v, want exit 1\n%s", err, out)
	}
	if !strings.Contains(out.String(), "Error: Interrupted") {
		t.Errorf("the interrupted plan does not say so:\n%s", out)
	}
	for _, bad := range []string{"Cannot read the inventory", "context canceled", "Context canceled"} {
		if strings.Contains(out.String(), bad) {
			t.Errorf("the interrupted plan says %q, as if a provider had failed:\n%s", bad, out)
		}
	}
}

// The first spec of the README is what fmt would write.
func TestREADMESpecIsFormatted(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```hcl\n(.*?)```").FindAllSubmatch(readme, -1)
	if len(blocks) == 0 {
		t.Fatal("the README has no hcl block")
	}
	for i, b := range blocks {
		dir := newDir(t, string(b[1]))
		r := nova(t, dir, "fmt", "-check")
		if r.Code != 0 {
			nova(t, dir, "fmt").Must(t, 0, "fmt")
			got, _ := os.ReadFile(filepath.Join(dir, "main.nova.hcl"))
			t.Errorf("README hcl block %d is not formatted (fmt -check exit %d); fmt writes:\n%s", i+1, r.Code, got)
		}
		nova(t, dir, "validate").Must(t, 0, "validate README hcl block")
	}
}

// The version -json example of docs/cli.md has the keys the command prints.
func TestVersionJSONAsDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "cli.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)\\$ nova-plan version -json\n(\\{.*?\n\\})").FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/cli.md has no `$ nova-plan version -json` example")
	}
	keys := func(data []byte) []string {
		var v map[string]any
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatalf("%v in %s", err, data)
		}
		var out []string
		for k := range v {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	got := nova(t, t.TempDir(), "version", "-json").Must(t, 0, "version -json")
	if want, documented := keys([]byte(got.Stdout)), keys(m[1]); !slices.Equal(want, documented) {
		t.Errorf("version -json prints the keys %v; docs/cli.md shows %v", want, documented)
	}
}
