package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/novacron/novacron/internal/clitest"
)

// These tests build the nova-plan binary once and run it as a user would.

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

var novaBin string

func TestMain(m *testing.M) {
	flag.Parse()
	bin, cleanup, err := clitest.Build()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	novaBin = bin
	code := m.Run()
	cleanup()
	os.Exit(code)
}

// result is one run of the binary.
type result = clitest.Result

// nova runs the binary in dir with args and returns what it printed.
func nova(t *testing.T, dir string, args ...string) result {
	t.Helper()
	return clitest.Run(t, novaBin, dir, "", args...)
}

// novaIn runs the binary with stdin.
func novaIn(t *testing.T, dir, stdin string, args ...string) result {
	t.Helper()
	return clitest.Run(t, novaBin, dir, stdin, args...)
}

// workspace writes a spec into a new folder and returns it.
func newDir(t *testing.T, spec string) string {
	t.Helper()
	dir := t.TempDir()
	writeSpec(t, dir, spec)
	return dir
}

func writeSpec(t *testing.T, dir, spec string) { clitest.WriteSpec(t, dir, spec) }

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
		// PreviousAddress is where a moved block moved the VM from.
		PreviousAddress string `json:"previous_address"`
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
	r := nova(t, dir, append([]string{"plan", "-json"}, args...)...).Must(t, 0, "plan -json")
	var p testPlan
	if err := json.Unmarshal([]byte(r.Stdout), &p); err != nil {
		t.Fatalf("plan -json printed invalid JSON: %v\n%s", err, r.Stdout)
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
		// OwnerLineage and OwnerAddress are another workspace's marker.
		OwnerLineage string `json:"owner_lineage"`
		OwnerAddress string `json:"owner_address"`
	} `json:"vms"`
}

func inventory(t *testing.T, dir string, args ...string) inventoryDoc {
	t.Helper()
	r := nova(t, dir, append([]string{"inventory", "-json"}, args...)...).Must(t, 0, "inventory -json")
	var inv inventoryDoc
	if err := json.Unmarshal([]byte(r.Stdout), &inv); err != nil {
		t.Fatalf("inventory -json printed invalid JSON: %v\n%s", err, r.Stdout)
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
