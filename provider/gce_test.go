package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/novacron/novacron/internal/gcetest"
)

// TestAccGCEFleet: novacron_fleet on a gce backend, the driver got by
// registration alone: two instances on internal/gcetest (the real REST
// client and auth library, credentials from a key file the server wrote,
// named by GOOGLE_APPLICATION_CREDENTIALS), marked; destroy deletes them.
func TestAccGCEFleet(t *testing.T) {
	s, err := gcetest.Start(gcetest.Options{})
	if err != nil {
		t.Fatalf("starting the Compute Engine test server: %v", err)
	}
	t.Cleanup(s.Close)
	creds, err := s.WriteCredentials(t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", creds)
	dir := testDir(t)
	config := fmt.Sprintf(`
provider "novacron" {
  data_dir = %q
  gce {
    name          = "cloud"
    project       = %q
    zone          = %q
    endpoint      = %q
    poll_interval = "10ms"
  }
}
resource "novacron_fleet" "web" {
  backend        = "cloud"
  name           = "web"
  instance_count = 2
  name_pattern   = "tfacc-gce-{index}"
  template       = { image = %q }
  cpu            = 2
  memory_gb      = 4
  disk_gb        = 10
}
`, dir, s.Project, s.Zones[0], s.Endpoint, gcetest.ImagePath)
	testFleetOfTwo(t, dir, "gce.cloud", config, func(*terraform.State) error {
		m := s.Managed()
		if len(m) != 2 || m[0].MachineType != "e2-medium" || m[0].Status != "RUNNING" {
			return fmt.Errorf("the server holds %+v; want 2 running e2-medium instances", m)
		}
		return nil
	}, nil)
	if n := len(s.Instances()); n != 0 {
		t.Errorf("the server holds %d instances after destroy", n)
	}
	if u := s.Unexpected(); len(u) > 0 {
		t.Errorf("the test server refused calls it does not know: %q", u)
	}
}
