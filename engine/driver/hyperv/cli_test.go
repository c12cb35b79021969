package hyperv

import (
	"encoding/json"
	"testing"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/hypervtest"
)

// nova runs the nova-plan binary in dir with args.
func nova(t testing.TB, dir string, args ...string) clitest.Result {
	t.Helper()
	return clitest.Run(t, novaBin, dir, "", args...)
}

// usePassword gives nova-plan the server's password the way CI would, in
// NOVACRON_HYPERV_PASSWORD, so no spec holds it.
func usePassword(t testing.TB, s *hypervtest.Server) {
	t.Helper()
	t.Setenv(EnvName(settingPassword), s.Password)
}

// planDoc is the part of `plan -json` the tests read.
type planDoc struct {
	Changes []struct {
		Address string   `json:"address"`
		Action  string   `json:"action"`
		Restart bool     `json:"restart"`
		Live    bool     `json:"live"`
		Reasons []string `json:"reasons"`
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

// actions returns "address action" lines of a plan, "(restart)" and
// "(live)" marked.
func (p planDoc) actions() []string {
	var out []string
	for _, c := range p.Changes {
		s := c.Address + " " + c.Action
		if c.Restart {
			s += " (restart)"
		}
		if c.Live {
			s += " (live)"
		}
		out = append(out, s)
	}
	return out
}

// inventoryJSON runs `inventory -json`.
func inventoryJSON(t testing.TB, dir string) []clitest.VM {
	t.Helper()
	return clitest.Inventory(t, novaBin, dir)
}

// managed returns the inventory's VMs this workspace manages, by address.
func managed(t *testing.T, dir string) map[string]clitest.VM {
	t.Helper()
	out := map[string]clitest.VM{}
	for _, vm := range inventoryJSON(t, dir) {
		if vm.Address != "" {
			out[vm.Address] = vm
		}
	}
	return out
}

// noChanges fails unless a plan finds nothing to do.
func noChanges(t *testing.T, dir, after string) {
	t.Helper()
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after "+after)
}
