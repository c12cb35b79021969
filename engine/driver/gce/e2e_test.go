package gce

import (
	"fmt"
	"strings"
	"testing"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/gcetest"
)

// lifecycleSpec is a 4-VM fleet spread over two zones, and one VM whose
// address is hostile to labels.
func lifecycleSpec(s *gcetest.Server, cpu int, memoryGB float64, diskGB int) string {
	return fmt.Sprintf(`
provider "gce" "cloud" {
  project       = %q
  zones         = [%q, %q]
  subnetwork    = %q
  endpoint      = %q
  poll_interval = "10ms"
}

template "debian" {
  gce { image = %q }
}

fleet "web" {
  count     = 4
  template  = template.debian
  cpu       = %d
  memory_gb = %g
  disk_gb   = %d
  tags      = { tier = "web", owner = "team-a" }
}

fleet "odd" {
  for_each  = toset(["a b/c:é"])
  name      = "odd-one"
  template  = template.debian
  cpu       = 1
  memory_gb = 1
  disk_gb   = 10
}
`, s.Project, s.Zones[0], s.Zones[1], gcetest.Subnetwork, s.Endpoint, gcetest.FamilyPath, cpu, memoryGB, diskGB)
}

// TestLifecycle drives the fleet through nova-plan against the test
// server: apply, resize cpu and memory (planned as a restart, shown in
// text and JSON), grow the disk (online, no restart), destroy; a plan
// after each apply finds nothing to change, and the server's own state is
// checked.
func TestLifecycle(t *testing.T) {
	s := startServer(t, gcetest.Options{})
	dir := t.TempDir()
	clitest.WriteSpec(t, dir, lifecycleSpec(s, 2, 2, 10))
	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	checkServer(t, s, "e2-small", 10)
	zones := map[string]int{}
	for _, i := range s.Managed() {
		zones[i.Zone]++
	}
	if len(zones) != 2 {
		t.Errorf("the fleet is in zones %v, want both", zones)
	}
	addrs := map[string]bool{}
	for _, vm := range nova.Inventory(t, dir) {
		addrs[vm.Address] = true
	}
	if !addrs[`fleet.odd["a b/c:é"]`] || !addrs["fleet.web[3]"] {
		t.Errorf("inventory -json lists addresses %v; want the hostile one read back from its labels", addrs)
	}
	nova.NoChanges(t, dir, "apply")

	clitest.WriteSpec(t, dir, lifecycleSpec(s, 4, 4, 10))
	for _, c := range nova.Plan(t, dir).Changes {
		if c.Action != "update" || !c.Restart {
			t.Errorf("plan of the resize: %s %s restart=%t; want an update with a restart", c.Address, c.Action, c.Restart)
		}
	}
	if text := nova.Run(t, dir, "plan").Must(t, 0, "plan").Stdout; !strings.Contains(text, "will be updated in place, with a restart") {
		t.Errorf("the text plan of the resize does not say restart:\n%s", text)
	}
	stops := s.Calls("compute.instances.stop")
	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the resize")
	checkServer(t, s, "e2-highcpu-4", 10)
	if n := s.Calls("compute.instances.stop") - stops; n != 4 || s.Calls("compute.instances.setMachineType") != 4 {
		t.Errorf("the resize stopped %d instances and changed %d machine types, want 4 and 4", n, s.Calls("compute.instances.setMachineType"))
	}
	nova.NoChanges(t, dir, "the resize")

	clitest.WriteSpec(t, dir, lifecycleSpec(s, 4, 4, 20))
	for _, c := range nova.Plan(t, dir).Changes {
		if c.Action != "update" || c.Restart {
			t.Errorf("plan of the disk growth: %s %s restart=%t; want an update without a restart", c.Address, c.Action, c.Restart)
		}
	}
	stops = s.Calls("compute.instances.stop")
	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the disk growth")
	checkServer(t, s, "e2-highcpu-4", 20)
	if n := s.Calls("compute.instances.stop") - stops; n != 0 {
		t.Errorf("growing the disks stopped %d instances, want none", n)
	}
	nova.NoChanges(t, dir, "the disk growth")

	nova.Run(t, dir, "destroy", "-auto-approve").Must(t, 0, "destroy")
	if n, d := len(s.Instances()), s.Disks(); n != 0 || d != 0 {
		t.Errorf("after destroy the server holds %d instances and %d disks, want none", n, d)
	}
	if vms := nova.Inventory(t, dir); len(vms) != 0 {
		t.Errorf("after destroy the inventory lists %+v", vms)
	}
}

// checkServer checks the fleet on the server: 4 web instances of the
// machine type with the disk size, running, labelled, and odd-one.
func checkServer(t *testing.T, s *gcetest.Server, mtype string, diskGB int) {
	t.Helper()
	web := 0
	for _, i := range s.Managed() {
		if i.Name == "odd-one" {
			continue
		}
		web++
		if i.MachineType != mtype || i.Status != "RUNNING" || s.DiskGB(i.Zone, i.Disk) != diskGB ||
			i.Labels["tier"] != "web" || i.Labels["owner"] != "team-a" || i.Subnetwork != gcetest.Subnetwork {
			t.Errorf("instance %s/%s: %s %s, disk %d GB, labels %v; want %s running, %d GB, tier=web owner=team-a, in %s",
				i.Zone, i.Name, i.MachineType, i.Status, s.DiskGB(i.Zone, i.Disk), i.Labels, mtype, diskGB, gcetest.Subnetwork)
		}
	}
	if web != 4 || len(s.Instances()) != 5 {
		t.Errorf("the server holds %d instances, %d of them web; want 5 and 4", len(s.Instances()), web)
	}
}
