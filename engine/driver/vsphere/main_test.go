package vsphere

import (
	"fmt"
	"os"
	"testing"

	"github.com/novacron/novacron/internal/clitest"
)

// The tests run govmomi's vCenter simulator in this process (internal/vcsim)
// and, for the end-to-end tests, the nova-plan binary built once here,
// which talks to it over TLS as it would to a vCenter.

var nova clitest.CLI

// TestMain points TMPDIR at a folder it removes at the end, since the
// simulator writes each VM's files there, and builds nova-plan.
func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	tmp, err := os.MkdirTemp("", "novacron-vsphere-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)
	os.Setenv("TMPDIR", tmp)
	return clitest.Main(m, &nova)
}
