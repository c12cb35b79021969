package libvirt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The end-to-end tests run the nova-plan binary, built once here, against
// libvirtd's qemu:///system, as a user would.

var novaBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "nova-plan-libvirt-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	novaBin = filepath.Join(dir, "nova-plan")
	build := exec.Command("go", "build", "-o", novaBin, "github.com/novacron/novacron/cmd/nova-plan")
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

// nova runs the binary in dir with args.
func nova(t *testing.T, dir string, args ...string) result {
	t.Helper()
	cmd := exec.Command(novaBin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
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

func writeSpec(t *testing.T, dir, spec string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "main.nova.hcl"), []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
}

// planDoc is the part of `plan -json` the tests read.
type planDoc struct {
	Changes []struct {
		Address string `json:"address"`
		Action  string `json:"action"`
		Restart bool   `json:"restart"`
	} `json:"changes"`
}

func planJSON(t *testing.T, dir string) planDoc {
	t.Helper()
	r := nova(t, dir, "plan", "-json").must(t, 0, "plan -json")
	var p planDoc
	if err := json.Unmarshal([]byte(r.stdout), &p); err != nil {
		t.Fatalf("plan -json printed invalid JSON: %v\n%s", err, r.stdout)
	}
	return p
}

// actions returns "address action" lines of a plan, "(restart)" marked.
func (p planDoc) actions() []string {
	var out []string
	for _, c := range p.Changes {
		s := c.Address + " " + c.Action
		if c.Restart {
			s += " (restart)"
		}
		out = append(out, s)
	}
	return out
}

// inventoryDoc is the part of `inventory -json` the tests read.
type inventoryDoc struct {
	VMs []struct {
		ID       string  `json:"id"`
		Name     string  `json:"name"`
		MemoryGB float64 `json:"memory_gb"`
		Power    string  `json:"power"`
		Address  string  `json:"address"`
	} `json:"vms"`
}

// managed returns the inventory's VMs whose names start with prefix.
func managed(t *testing.T, dir, prefix string) inventoryDoc {
	t.Helper()
	r := nova(t, dir, "inventory", "-json").must(t, 0, "inventory -json")
	var inv, out inventoryDoc
	if err := json.Unmarshal([]byte(r.stdout), &inv); err != nil {
		t.Fatalf("inventory -json printed invalid JSON: %v\n%s", err, r.stdout)
	}
	for _, vm := range inv.VMs {
		if strings.HasPrefix(vm.Name, prefix) {
			out.VMs = append(out.VMs, vm)
		}
	}
	return out
}
