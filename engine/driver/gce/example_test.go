package gce

import (
	"testing"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/gcetest"
)

// TestExample: examples/gce plans, applies and destroys as written
// against the test server (as its README says, through NOVA_VAR_endpoint).
func TestExample(t *testing.T) {
	s := startServer(t, gcetest.Options{})
	dir := clitest.Example(t, "gce")
	t.Setenv("NOVA_VAR_endpoint", s.Endpoint)
	nova.Run(t, dir, "plan").Must(t, 0, "plan of the example")
	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply of the example")
	if n := len(s.Managed()); n != 4 {
		t.Errorf("the example made %d instances, want 4", n)
	}
	nova.NoChanges(t, dir, "the example's apply")
	nova.Run(t, dir, "destroy", "-auto-approve").Must(t, 0, "destroy of the example")
	if n := len(s.Instances()); n != 0 {
		t.Errorf("%d instances left after destroy", n)
	}
}
