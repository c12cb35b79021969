package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/novacron/novacron/internal/xentest"
)

// TestAccXenFleet: a novacron_fleet of two VMs on a xen backend (the
// driver comes by registration alone) against internal/xentest, a strict
// XenAPI server over TLS: both carry the fleet's marker in other_config;
// destroy leaves no VM and no disk behind.
func TestAccXenFleet(t *testing.T) {
	s := xentest.Start(xentest.Options{TaskPolls: 1})
	t.Cleanup(s.Close)
	t.Setenv("NOVACRON_XEN_PASSWORD", s.Password)
	dir := testDir(t)
	ca, err := s.WriteCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	before := s.Count()
	config := fmt.Sprintf(`
provider "novacron" {
  data_dir = %q
  xen {
    name          = "pool"
    url           = %q
    ca_file       = %q
    poll_interval = "5ms"
  }
}
resource "novacron_fleet" "web" {
  backend        = "pool"
  name           = "web"
  instance_count = 2
  name_pattern   = "tfacc-xen-{index}"
  template       = { template = %q }
  cpu            = 1
  memory_gb      = 1
  disk_gb        = 10
}
`, dir, s.URL, ca, xentest.TemplateName)
	testFleetOfTwo(t, dir, "xen.pool", config, func(*terraform.State) error {
		if vms := s.VMs(); len(vms) != 2 || vms[0].OtherConfig["novacron:address"] == "" {
			return fmt.Errorf("the server holds %d VMs, want 2 marked ones", len(vms))
		}
		return nil
	}, func(*terraform.State) error {
		if after := s.Count(); after != before {
			return fmt.Errorf("after destroy the server holds %+v, before %+v", after, before)
		}
		return nil
	})
	if u := s.Unexpected(); len(u) > 0 {
		t.Errorf("the XenAPI test server refused calls: %q", u)
	}
}
