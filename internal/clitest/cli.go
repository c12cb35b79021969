package clitest

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"
)

// CLI is the nova-plan binary a package's end-to-end tests run, built
// once by Main: a driver's tests keep one in a package variable.
type CLI struct{ Bin string }

// Main builds nova-plan into cli, runs the package's tests and removes
// the binary; it returns the exit code for os.Exit. A package's TestMain
// is os.Exit(clitest.Main(m, &nova)).
func Main(m *testing.M, cli *CLI) int {
	bin, cleanup, err := Build()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer cleanup()
	cli.Bin = bin
	return m.Run()
}

// Run runs the binary in dir with args.
func (c *CLI) Run(t testing.TB, dir string, args ...string) Result {
	t.Helper()
	return Run(t, c.Bin, dir, "", args...)
}

// Inventory runs `inventory -json` in dir and returns its VMs.
func (c *CLI) Inventory(t testing.TB, dir string) []VM {
	t.Helper()
	return Inventory(t, c.Bin, dir)
}

// Managed returns the inventory's VMs that dir's workspace manages, by
// address.
func (c *CLI) Managed(t testing.TB, dir string) map[string]VM {
	t.Helper()
	out := map[string]VM{}
	for _, vm := range c.Inventory(t, dir) {
		if vm.Address != "" {
			out[vm.Address] = vm
		}
	}
	return out
}

// NoChanges fails unless a plan in dir finds nothing to do; after says
// what was done before it.
func (c *CLI) NoChanges(t testing.TB, dir, after string) {
	t.Helper()
	c.Run(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after "+after)
}

// Plan runs `plan -json` in dir, which must succeed.
func (c *CLI) Plan(t testing.TB, dir string) Plan {
	t.Helper()
	r := c.Run(t, dir, "plan", "-json").Must(t, 0, "plan -json")
	var p Plan
	if err := json.Unmarshal([]byte(r.Stdout), &p); err != nil {
		t.Fatalf("plan -json printed invalid JSON: %v\n%s", err, r.Stdout)
	}
	return p
}
