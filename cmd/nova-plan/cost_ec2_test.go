package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/novacron/novacron/internal/ec2test"
)

// TestBurstToEC2ThroughTheBinary: a full on-premises sim bursts a VM to
// EC2 (internal/ec2test, the SDK pointed at it through the environment),
// priced from the driver's table, and brings it back once room frees up.
func TestBurstToEC2ThroughTheBinary(t *testing.T) {
	s := startEC2(t, 30*time.Millisecond)
	dir := newDir(t, ec2BurstSpec(s))

	p := nova(t, dir, "plan", "-no-color").Must(t, 0, "plan").Stdout
	// 4 vCPU and 8 GiB: t3a.xlarge, $0.1504 an hour in the driver's table.
	for _, want := range []string{`provider  = "ec2.main"`, "bursts to ec2.main", "monthly cost +$109.79 (t3a.xlarge)", "Monthly cost: +$168.19 USD"} {
		if !strings.Contains(p, want) {
			t.Errorf("the plan lacks %q:\n%s", want, p)
		}
	}
	nova(t, dir, "apply", "-auto-approve", "-no-color").Must(t, 0, "apply")
	if n := len(s.Live()); n != 1 {
		t.Fatalf("the EC2 server holds %d instances, want 1", n)
	}
	nova(t, dir, "apply", "-auto-approve", "-no-color", "-var", "filler=1").Must(t, 0, "apply freeing room")
	back := nova(t, dir, "plan", "-no-color", "-var", "filler=1").Must(t, 0, "plan").Stdout
	for _, want := range []string{"fleet.web must be replaced (create, then destroy)", "back from burst provider ec2.main", "monthly cost -$80.59 (t3a.xlarge)"} {
		if !strings.Contains(back, want) {
			t.Errorf("the plan lacks %q:\n%s", want, back)
		}
	}
	nova(t, dir, "apply", "-auto-approve", "-no-color", "-var", "filler=1").Must(t, 0, "apply bringing it back")
	if n := len(s.Live()); n != 0 {
		t.Errorf("the EC2 server still holds %d live instances, want 0", n)
	}
}

// startEC2 starts the EC2 test server, its instances changing state after
// transition, and points the SDK at it through the environment.
func startEC2(t *testing.T, transition time.Duration) *ec2test.Server {
	t.Helper()
	s, err := ec2test.Start(ec2test.Options{Transition: transition})
	if err != nil {
		t.Fatalf("starting the EC2 test server: %v", err)
	}
	t.Cleanup(s.Close)
	for _, kv := range s.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	return s
}

// ec2BurstSpec fills the one on-premises host with two filler VMs
// (var.filler), so that the one VM of web bursts to EC2.
func ec2BurstSpec(s *ec2test.Server) string {
	return fmt.Sprintf(`
variable "filler" {
  type    = number
  default = 2
}

provider "sim" "onprem" {
  hosts              = 1
  host_cpu           = 8
  host_memory_gb     = 32
  cost_per_core_hour = 0.01
}

provider "ec2" "main" {
  endpoint           = %q
  subnet_id          = %q
  security_group_ids = [%q]
  poll_interval      = "20ms"
}

template "ubuntu" {
  sim { image = "ubuntu" }
  ec2 { ami = %q }
}

fleet "filler" {
  provider  = provider.sim.onprem
  count     = var.filler
  template  = template.ubuntu
  cpu       = 4
  memory_gb = 8
}

fleet "web" {
  provider   = provider.sim.onprem
  template   = template.ubuntu
  cpu        = 4
  memory_gb  = 8
  depends_on = [fleet.filler]
  placement { burst_to = provider.ec2.main }
}
`, s.URL, ec2test.SubnetB, ec2test.SecurityGroup, ec2test.ImageX86)
}
