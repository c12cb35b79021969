package main

import (
	"context"
	"fmt"

	"github.com/novacron/novacron/engine/policy"
	"github.com/novacron/novacron/engine/spec"
)

// policyCommands are policy's subcommands (`nova-plan completion`
// completes them).
var policyCommands = map[string]func(args []string, e *env) int{"test": policyTest}

func runPolicy(args []string, e *env) int {
	u := newUI(e, false)
	if len(args) == 0 {
		return u.errorf("policy needs a subcommand: test [DIR]")
	}
	switch args[0] {
	case "-help", "--help", "-h", "--h":
		fmt.Fprintln(e.stdout, "Usage: nova-plan policy test [options] [DIR]\n\nRun the test_ rules of the Rego policies in DIR (default: the spec's policy setting).")
		return 0
	}
	if run, ok := policyCommands[args[0]]; ok {
		return run(args[1:], e)
	}
	return u.errorf("unknown policy subcommand %q: use test", args[0])
}

// policyTest runs the policies' own Rego unit tests and prints one line
// per test; it exits 1 when one fails or none is found.
func policyTest(args []string, e *env) int {
	fs := newFlags("policy test", "[DIR]", e)
	noColor := fs.Bool("no-color", false, "do not color the output")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	u := newUI(e, *noColor)
	folder, ok := testFolder(u, fs.Args())
	if !ok {
		return 1
	}
	results, files, diags := policy.RunTests(context.Background(), folder)
	u.addFiles(files)
	if u.diagnostics(diags) {
		return 1
	}
	return u.testReport(results)
}

// testFolder is DIR, or the spec's policy setting without one.
func testFolder(u *ui, args []string) (policy.Folder, bool) {
	switch len(args) {
	case 1:
		return policy.Folder{Path: args[0]}, true
	case 0:
	default:
		u.errorf("policy test takes at most one argument, the folder of policies")
		return policy.Folder{}, false
	}
	l := spec.NewLoader()
	cfg, diags := l.ReadBackend(".")
	u.files = l.Files()
	if u.diagnostics(diags) {
		return policy.Folder{}, false
	}
	if cfg.Policy.Dir == "" {
		u.errorf("policy test needs the folder of policies: give it (nova-plan policy test DIR), or name it in the spec with novacron { policy { dir = \"…\" } }")
		return policy.Folder{}, false
	}
	return policy.Folder{Path: cfg.Policy.Dir, Range: cfg.Policy.Range}, true
}

// testReport prints one line per test and a closing count.
func (u *ui) testReport(results []policy.TestResult) int {
	failed, errored := 0, 0
	for _, r := range results {
		verdict := u.paint(green, "PASS ")
		switch {
		case r.Error != "":
			verdict, errored = u.paint(red, "ERROR"), errored+1
		case !r.Pass:
			verdict, failed = u.paint(red, "FAIL "), failed+1
		}
		u.printf("%s %s:%d: %s\n", verdict, printable(r.At.Filename, false), r.At.Start.Line, printable(r.Name, false))
		if r.Error != "" {
			u.printf("      %s\n", printable(r.Error, false))
		}
	}
	if len(results) == 0 {
		return u.errorf("No policy tests: the folder has no test_ rules")
	}
	u.printf("\nPolicy tests: %d passed, %d failed, %d errors.\n", len(results)-failed-errored, failed, errored)
	if failed+errored > 0 {
		return 1
	}
	return 0
}
