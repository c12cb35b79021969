package xen

import (
	"encoding/json"
	"testing"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/xentest"
)

// nova runs the nova-plan binary in dir with args.
func nova(t testing.TB, dir string, args ...string) clitest.Result {
	t.Helper()
	return clitest.Run(t, novaBin, dir, "", args...)
}

// usePassword gives nova-plan the server's password through the
// environment, as CI systems keep it.
func usePassword(t testing.TB, s *xentest.Server) {
	t.Helper()
	t.Setenv(EnvName(settingPassword), s.Password)
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

// inventoryJSON runs `inventory -json`.
func inventoryJSON(t testing.TB, dir string) []clitest.VM {
	t.Helper()
	return clitest.Inventory(t, novaBin, dir)
}

// noChanges fails unless a plan finds nothing to do.
func noChanges(t *testing.T, dir, after string) {
	t.Helper()
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after "+after)
}
