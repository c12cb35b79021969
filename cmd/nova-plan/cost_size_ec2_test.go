package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/novacron/novacron/internal/ec2test"
)

// TestFixedInstanceTypeTooSmall: a template's instance_type too small for
// the VM is an error at instance_type when the plan would create on it,
// and sizing never chooses it, cheap as it is (t3.nano: 2 vCPUs, 512 MiB).
func TestFixedInstanceTypeTooSmall(t *testing.T) {
	s, err := ec2test.Start(ec2test.Options{Transition: 30 * time.Millisecond})
	if err != nil {
		t.Fatalf("starting the EC2 test server: %v", err)
	}
	t.Cleanup(s.Close)
	for _, kv := range s.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	providers := fmt.Sprintf(`provider "sim" "cloud" {
  hosts              = 4
  host_cpu           = 64
  host_memory_gb     = 256
  cost_per_core_hour = 0.03
}

provider "ec2" "main" {
  endpoint           = %q
  subnet_id          = %q
  security_group_ids = [%q]
}

template "ubuntu" {
  sim { image = "ubuntu" }
  ec2 {
    ami           = %q
    instance_type = "t3.nano"
  }
}
`, s.URL, ec2test.SubnetB, ec2test.SecurityGroup, ec2test.ImageX86)
	fleet := func(where string) string {
		return "\nfleet \"web\" {\n  " + where + "\n  template  = template.ubuntu\n  cpu       = 4\n  memory_gb = 16\n}\n"
	}
	r := nova(t, newDir(t, providers+fleet("provider = provider.ec2.main")), "plan", "-no-color").Must(t, 1, "plan with t3.nano")
	golden(t, "cost-bad-instance-type-too-small.txt", r.Stderr)

	p := costPlanJSON(t, newDir(t, providers+fleet("providers = [provider.ec2.main, provider.sim.cloud]\n  sizing    = \"cheapest\"")))
	if len(p.Changes) != 1 || p.Changes[0].Provider != "sim.cloud" {
		t.Fatalf("sizing should choose sim.cloud over a t3.nano that cannot hold the VM: %+v", p.Changes)
	}
	if len(s.Live()) != 0 {
		t.Fatal("a plan made instances")
	}
}
