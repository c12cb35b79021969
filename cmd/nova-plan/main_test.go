package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// These tests build the nova-plan binary once and run it as a user would.

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

var novaBin string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "nova-plan-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	novaBin = filepath.Join(dir, "nova-plan")
	build := exec.Command("go", "build", "-o", novaBin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building nova-plan:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is one run of the binary.
type result struct {
	stdout, stderr string
	code           int
}

// nova runs the binary in dir with args and returns what it printed.
func nova(t *testing.T, dir string, args ...string) result {
	t.Helper()
	return novaIn(t, dir, "", args...)
}

// novaIn runs the binary with stdin.
func novaIn(t *testing.T, dir, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(novaBin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running nova-plan %v: %v", args, err)
	}
	return result{out.String(), errb.String(), code}
}

// must fails the test unless the run exited with want.
func (r result) must(t *testing.T, want int, what string) result {
	t.Helper()
	if r.code != want {
		t.Fatalf("%s: exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", what, r.code, want, r.stdout, r.stderr)
	}
	return r
}

// workspace writes a spec into a new folder and returns it.
func newDir(t *testing.T, spec string) string {
	t.Helper()
	dir := t.TempDir()
	writeSpec(t, dir, spec)
	return dir
}

func writeSpec(t *testing.T, dir, spec string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "main.nova.hcl"), []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
}

// jsonPlan is the part of `plan -json` the tests read.
type testPlan struct {
	FormatVersion string `json:"format_version"`
	Changes       []struct {
		Address  string   `json:"address"`
		Action   string   `json:"action"`
		Provider string   `json:"provider"`
		Reasons  []string `json:"reasons"`
		Batch    int      `json:"batch"`
		Live     bool     `json:"live"`
		Before   *testVM  `json:"before"`
		After    *testVM  `json:"after"`
	} `json:"changes"`
	Summary map[string]int `json:"summary"`
}

type testVM struct {
	Name     string  `json:"name"`
	Host     string  `json:"host"`
	CPU      int     `json:"cpu"`
	MemoryGB float64 `json:"memory_gb"`
}

func planJSON(t *testing.T, dir string, args ...string) testPlan {
	t.Helper()
	r := nova(t, dir, append([]string{"plan", "-json"}, args...)...).must(t, 0, "plan -json")
	var p testPlan
	if err := json.Unmarshal([]byte(r.stdout), &p); err != nil {
		t.Fatalf("plan -json printed invalid JSON: %v\n%s", err, r.stdout)
	}
	return p
}

// actions returns "address action" lines of a plan, in plan order.
func (p testPlan) actions() []string {
	var out []string
	for _, c := range p.Changes {
		out = append(out, c.Address+" "+c.Action)
	}
	return out
}

type inventoryDoc struct {
	VMs []struct {
		Provider string  `json:"provider"`
		ID       string  `json:"id"`
		Name     string  `json:"name"`
		Host     string  `json:"host"`
		CPU      int     `json:"cpu"`
		MemoryGB float64 `json:"memory_gb"`
		Power    string  `json:"power"`
		Address  string  `json:"address"`
	} `json:"vms"`
}

func inventory(t *testing.T, dir string, args ...string) inventoryDoc {
	t.Helper()
	r := nova(t, dir, append([]string{"inventory", "-json"}, args...)...).must(t, 0, "inventory -json")
	var inv inventoryDoc
	if err := json.Unmarshal([]byte(r.stdout), &inv); err != nil {
		t.Fatalf("inventory -json printed invalid JSON: %v\n%s", err, r.stdout)
	}
	return inv
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
