package libvirt

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/novacron/novacron/internal/clitest"
)

// The end-to-end tests run the nova-plan binary, built once here, against
// libvirtd's qemu:///system, as a user would.

var novaBin string

func TestMain(m *testing.M) {
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

// nova runs the binary in dir with args.
func nova(t *testing.T, dir string, args ...string) result {
	t.Helper()
	return clitest.Run(t, novaBin, dir, "", args...)
}

func writeSpec(t *testing.T, dir, spec string) { clitest.WriteSpec(t, dir, spec) }

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
	r := nova(t, dir, "plan", "-json").Must(t, 0, "plan -json")
	var p planDoc
	if err := json.Unmarshal([]byte(r.Stdout), &p); err != nil {
		t.Fatalf("plan -json printed invalid JSON: %v\n%s", err, r.Stdout)
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
	r := nova(t, dir, "inventory", "-json").Must(t, 0, "inventory -json")
	var inv, out inventoryDoc
	if err := json.Unmarshal([]byte(r.Stdout), &inv); err != nil {
		t.Fatalf("inventory -json printed invalid JSON: %v\n%s", err, r.Stdout)
	}
	for _, vm := range inv.VMs {
		if strings.HasPrefix(vm.Name, prefix) {
			out.VMs = append(out.VMs, vm)
		}
	}
	return out
}
