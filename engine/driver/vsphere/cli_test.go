package vsphere

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/vcsim"
)

// nova runs the nova-plan binary in dir with args.
func nova(t testing.TB, dir string, args ...string) clitest.Result {
	t.Helper()
	return clitest.Run(t, novaBin, dir, "", args...)
}

// useSim points nova-plan at the simulator through the environment, as
// `eval "$(go run ./examples/vsphere/vcsim -detach)"` does.
func useSim(t testing.TB, s *vcsim.Sim) {
	t.Helper()
	for _, kv := range s.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
}

// planDoc is the part of `plan -json` the tests read.
type planDoc struct {
	Changes []struct {
		Address string `json:"address"`
		Action  string `json:"action"`
		Restart bool   `json:"restart"`
		Live    bool   `json:"live"`
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

// cliVM is a VM of `inventory -json`.
type cliVM = clitest.VM

// inventoryJSON runs `inventory -json`.
func inventoryJSON(t testing.TB, dir string) []cliVM {
	t.Helper()
	return clitest.Inventory(t, novaBin, dir)
}

// managed returns the inventory's VMs this workspace manages, by address.
func managed(t *testing.T, dir string) map[string]cliVM {
	t.Helper()
	out := map[string]cliVM{}
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
