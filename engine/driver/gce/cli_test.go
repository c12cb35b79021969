package gce

import (
	"encoding/json"
	"testing"

	"github.com/novacron/novacron/internal/clitest"
)

// nova runs the nova-plan binary in dir with args.
func nova(t testing.TB, dir string, args ...string) clitest.Result {
	t.Helper()
	return clitest.Run(t, novaBin, dir, "", args...)
}

// planChange is a change of `plan -json`, the parts the tests read.
type planChange struct {
	Address string `json:"address"`
	Action  string `json:"action"`
	Restart bool   `json:"restart"`
}

// planJSON runs `plan -json`.
func planJSON(t *testing.T, dir string) []planChange {
	t.Helper()
	r := nova(t, dir, "plan", "-json").Must(t, 0, "plan -json")
	var p struct {
		Changes []planChange `json:"changes"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &p); err != nil {
		t.Fatalf("plan -json printed invalid JSON: %v\n%s", err, r.Stdout)
	}
	return p.Changes
}

// inventoryJSON runs `inventory -json`.
func inventoryJSON(t testing.TB, dir string) []clitest.VM {
	t.Helper()
	return clitest.Inventory(t, novaBin, dir)
}

// noChanges fails unless a plan finds nothing to do.
func noChanges(t testing.TB, dir, after string) {
	t.Helper()
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after "+after)
}
