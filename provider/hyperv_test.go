package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/novacron/novacron/internal/hypervtest"
)

// TestAccHyperVFleet: novacron_fleet of two VMs on a hyperv backend — the
// driver reached by its registration alone — against internal/hypervtest
// over HTTPS with NTLM, the password from NOVACRON_HYPERV_PASSWORD; the
// VMs carry their marker in Notes, and destroy leaves none.
func TestAccHyperVFleet(t *testing.T) {
	s, err := hypervtest.Start(hypervtest.Options{})
	if err != nil {
		t.Fatalf("starting the Hyper-V test server: %v", err)
	}
	t.Cleanup(s.Close)
	t.Setenv("NOVACRON_HYPERV_PASSWORD", s.Password)
	dir := testDir(t)
	config := fmt.Sprintf(`
provider "novacron" {
  data_dir = %q
  hyperv {
    name     = "lab"
    url      = %q
    username = %q
    ca_file  = %q
    hosts    = ["HV1", "HV2"]
    switch   = %q
  }
}
resource "novacron_fleet" "web" {
  backend        = "lab"
  name           = "web"
  instance_count = 2
  name_pattern   = "tfacc-hv-{index}"
  template       = { vhdx = %q }
  cpu            = 1
  memory_gb      = 1
  disk_gb        = 10
}
`, dir, s.URL, s.User, s.CAFile, hypervtest.Switch, hypervtest.Template)
	testFleetOfTwo(t, dir, "hyperv.lab", config, func(*terraform.State) error {
		if vms := s.VMs(); len(vms) != 2 {
			return fmt.Errorf("the server has %d VMs, want 2", len(vms))
		}
		return nil
	}, nil)
	if vms := s.VMs(); len(vms) != 0 {
		t.Errorf("the server has %d VMs after destroy", len(vms))
	}
	for _, u := range s.Unexpected() {
		t.Errorf("the test server refused: %s", u)
	}
}
