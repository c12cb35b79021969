package libvirt

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExamplePlans: examples/libvirt is valid and plans against the daemon
// scripts/libvirt-up.sh starts (applying it would boot two more guests,
// which TestGuestLifecycle already does the same way).
func TestExamplePlans(t *testing.T) {
	requireGuest(t)
	spec, err := os.ReadFile(filepath.Join("..", "..", "..", "examples", "libvirt", "main.nova.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeSpec(t, dir, string(spec))
	nova(t, dir, "validate").Must(t, 0, "validate")
	r := nova(t, dir, "plan", "-detailed-exitcode").Must(t, 2, "plan")
	if !strings.Contains(r.Stdout, "Plan: 2 to add, 0 to change, 0 to destroy, 0 to migrate.") {
		t.Errorf("the example does not plan two VMs:\n%s", r.Stdout)
	}
}
