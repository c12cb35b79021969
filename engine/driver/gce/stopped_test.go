package gce

import (
	"fmt"
	"testing"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/gcetest"
)

// stoppedSpec is a fleet of two stopped instances of the given size.
func stoppedSpec(s *gcetest.Server, cpu int, memoryGB float64) string {
	return fmt.Sprintf(`
provider "gce" "cloud" {
  project       = %q
  zone          = %q
  subnetwork    = %q
  endpoint      = %q
  poll_interval = "10ms"
}

template "debian" {
  gce { image = %q }
}

fleet "batch" {
  count     = 2
  template  = template.debian
  cpu       = %d
  memory_gb = %g
  disk_gb   = 10
  power     = "stopped"
}
`, s.Project, s.Zones[0], gcetest.Subnetwork, s.Endpoint, gcetest.FamilyPath, cpu, memoryGB)
}

// TestResizeStopped: a stopped instance takes a new machine type with no
// restart (provider-google #4076 is the opposite): the plan updates it in
// place, the apply sets the machine type without starting or stopping
// it, and a plan after finds nothing to do.
func TestResizeStopped(t *testing.T) {
	s := startServer(t, gcetest.Options{})
	dir := t.TempDir()
	clitest.WriteSpec(t, dir, stoppedSpec(s, 1, 1))
	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply of two stopped instances")

	clitest.WriteSpec(t, dir, stoppedSpec(s, 2, 4))
	changes := nova.Plan(t, dir).Changes
	if len(changes) != 2 {
		t.Fatalf("the resize plans %d changes, want 2: %+v", len(changes), changes)
	}
	for _, c := range changes {
		if c.Action != "update" || c.Restart {
			t.Errorf("%s: %s (restart %v); want an update in place with no restart", c.Address, c.Action, c.Restart)
		}
	}
	starts, stops := s.Calls("compute.instances.start"), s.Calls("compute.instances.stop")
	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply of the resize")
	for _, i := range s.Instances() {
		if i.MachineType != "e2-medium" || i.Status != "TERMINATED" {
			t.Errorf("instance %s: %s, %s; want e2-medium and still TERMINATED", i.Name, i.MachineType, i.Status)
		}
	}
	if s.Calls("compute.instances.start") != starts || s.Calls("compute.instances.stop") != stops {
		t.Errorf("the resize of stopped instances started or stopped them")
	}
	nova.NoChanges(t, dir, "the resize of stopped instances")
}
