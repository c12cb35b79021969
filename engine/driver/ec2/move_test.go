package ec2

import (
	"fmt"
	"strings"
	"testing"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/ec2test"
)

// moveSpec is a 20-VM fleet on the provider named, with the sim and the
// EC2 test server both declared.
func moveSpec(s *ec2test.Server, on string) string {
	return fmt.Sprintf(`
provider "sim" "lab" {
  hosts          = 4
  host_cpu       = 32
  host_memory_gb = 128
}

provider "ec2" "aws" {
  region        = %q
  endpoint      = %q
  subnet_id     = %q
  poll_interval = "20ms"
}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
  ec2 { ami = %q }
}

fleet "web" {
  provider  = provider.%s
  count     = 20
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
  disk_gb   = 20
  tags      = { tier = "web" }
  rollout {
    batch_size = 5
  }
}
`, s.Region, s.URL, ec2test.SubnetA, ec2test.ImageX86, on)
}

// TestMoveFleetFromSim: a 20-VM fleet on the simulator moves to EC2 by
// changing its provider. The plan replaces every VM, in batches, naming
// both providers in text and JSON; the apply leaves nothing on the sim
// and 20 marked instances of the cheapest fitting type on EC2.
func TestMoveFleetFromSim(t *testing.T) {
	s := startServer(t, ec2test.Options{})
	dir := t.TempDir()
	clitest.WriteSpec(t, dir, moveSpec(s, "sim.lab"))
	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply on the sim")
	if n := len(nova.Inventory(t, dir)); n != 20 {
		t.Fatalf("inventory after the sim apply lists %d VMs, want 20", n)
	}

	clitest.WriteSpec(t, dir, moveSpec(s, "ec2.aws"))
	changes := nova.Plan(t, dir).Changes
	if len(changes) != 20 {
		t.Fatalf("plan of the move has %d changes, want 20:\n%+v", len(changes), changes)
	}
	batches := map[int]int{}
	for _, c := range changes {
		batches[c.Batch]++
		if c.Action != "replace" || c.PreviousProvider != "sim.lab" || c.Provider != "ec2.aws" {
			t.Errorf("%s: %s from %q to %q; want a replace from sim.lab to ec2.aws", c.Address, c.Action, c.PreviousProvider, c.Provider)
		}
		if len(c.Reasons) == 0 || !strings.Contains(c.Reasons[0], "sim.lab") || !strings.Contains(c.Reasons[0], "ec2.aws") {
			t.Errorf("%s: reasons %q do not name both providers", c.Address, c.Reasons)
		}
	}
	if len(batches) != 4 {
		t.Errorf("the replaces fall in batches %v, want 4 batches of 5", batches)
	}
	text := nova.Run(t, dir, "plan").Must(t, 0, "plan").Stdout
	for _, want := range []string{`provider  = "sim.lab" → "ec2.aws"`, "Plan: 20 to add, 0 to change, 20 to destroy"} {
		if !strings.Contains(text, want) {
			t.Errorf("the text plan lacks %q:\n%s", want, text)
		}
	}

	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the move")
	for _, vm := range nova.Inventory(t, dir) {
		if vm.Provider != "ec2.aws" {
			t.Errorf("after the move %s (%s) is on %s", vm.Name, vm.ID, vm.Provider)
		}
	}
	live := s.Live()
	if len(live) != 20 {
		t.Fatalf("the EC2 server runs %d instances after the move, want 20", len(live))
	}
	for _, i := range live {
		if i.Type != "t3a.medium" || i.Tags["novacron:address"] == "" || i.Tags["tier"] != "web" || i.RootGB != 20 || i.Subnet != ec2test.SubnetA {
			t.Errorf("instance %s: %s, root %d GB, subnet %s, tags %v; want t3a.medium, 20 GB, %s, marked and tagged", i.ID, i.Type, i.RootGB, i.Subnet, i.Tags, ec2test.SubnetA)
		}
	}
	nova.NoChanges(t, dir, "the move")
}
