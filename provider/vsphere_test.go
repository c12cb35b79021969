package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/catalog"
	"github.com/novacron/novacron/internal/vcsim"
)

// The vSphere acceptance tests run the provider against govmomi's vCenter
// simulator, started in this process for each test (internal/vcsim), over
// TLS with the simulator's own CA: the backend comes from the driver
// registry like every other.

// TestVsphereBackendSchema: the schema generated from the built-in
// registry has a vsphere block whose password is sensitive and whose
// connection settings name their environment variables.
func TestVsphereBackendSchema(t *testing.T) {
	block, ok := providerSchema(catalog.Default()).Blocks["vsphere"].(schema.ListNestedBlock)
	if !ok {
		t.Fatal("the provider schema has no vsphere block")
	}
	attrs := block.NestedObject.Attributes
	for _, name := range []string{"name", "url", "user", "password", "ca_file", "insecure", "datacenter", "cluster", "resource_pool", "datastore", "folder", "network"} {
		if attrs[name] == nil {
			t.Errorf("the vsphere block has no %s", name)
		}
	}
	if attrs["password"] == nil || !attrs["password"].IsSensitive() || attrs["user"] == nil || attrs["user"].IsSensitive() {
		t.Error("password must be sensitive, and user not")
	}
	if d := attrs["url"].GetDescription(); !strings.Contains(d, "NOVACRON_VSPHERE_URL") {
		t.Errorf("url's description %q does not name NOVACRON_VSPHERE_URL", d)
	}
}

// vsphereBackend starts a simulator and returns the data folder and a
// provider block with backend "vc" on its cluster.
func vsphereBackend(t *testing.T) (string, string) {
	t.Helper()
	t.Setenv("TMPDIR", t.TempDir()) // the simulator writes its VMs' files there
	s, err := vcsim.Start(context.Background(), vcsim.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatalf("starting the vCenter simulator: %v", err)
	}
	t.Cleanup(s.Close)
	dir := testDir(t) // its drivers are closed before the simulator stops
	return dir, fmt.Sprintf(`
provider "novacron" {
  data_dir = %q
  vsphere {
    name             = "vc"
    url              = %q
    user             = %q
    password         = %q
    ca_file          = %q
    datacenter       = "DC0"
    cluster          = "DC0_C0"
    datastore        = "LocalDS_0"
    network          = "DC0_DVPG0"
    shutdown_timeout = "5s"
  }
}
`, dir, s.URL, s.User, s.Password, s.CAFile)
}

// TestAccVsphereFleet: novacron_fleet on a vSphere backend: create three
// VMs (the ownership marker on each), a rolling update in place, scale
// in; the data sources list them; destroy leaves no VM.
func TestAccVsphereFleet(t *testing.T) {
	dir, provider := vsphereBackend(t)
	fleet := func(count, cpu int) string {
		return provider + fmt.Sprintf(`
resource "novacron_fleet" "web" {
  backend        = "vc"
  name           = "web"
  instance_count = %d
  name_pattern   = "tfacc-vs-{index}"
  template       = { vm = %q }
  cpu            = %d
  memory_gb      = 1
  disk_gb        = 20
  rollout {
    batch_size = 2
  }
}
data "novacron_inventory" "web" {
  backend    = "vc"
  name_regex = "^tfacc-vs-"
  depends_on = [novacron_fleet.web]
}
data "novacron_hosts" "vc" {
  backend    = "vc"
  depends_on = [novacron_fleet.web]
}
`, count, vcsim.Template, cpu)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             checkNoVMs(dir, "vsphere.vc"),
		Steps: []resource.TestStep{
			{
				Config: fleet(3, 1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(fleetAddr, tfjsonpath.New("vms"), knownvalue.MapSizeExact(3)),
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("vms"), vmNames("tfacc-vs-0", "tfacc-vs-1", "tfacc-vs-2")),
					statecheck.ExpectKnownValue("data.novacron_hosts.vc", tfjsonpath.New("hosts"), knownvalue.ListSizeExact(3)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkMarkers(t, dir, "vsphere.vc", fleetAddr),
					checkLiveOn(t, dir, "vsphere.vc", "tfacc-vs-2", func(vm driver.VM) bool {
						return vm.CPU == 1 && vm.MemoryMiB == 1024 && vm.DiskGB == 20 && vm.Power == driver.PowerRunning
					}),
				),
			},
			{
				Config: fleet(3, 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(fleetAddr, plancheck.ResourceActionUpdate),
					changesAre("fleet.web[0]", "update", "fleet.web[1]", "update", "fleet.web[2]", "update"),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(fleetAddr, "last_apply.#", "2"),
					checkLiveOn(t, dir, "vsphere.vc", "tfacc-vs-0", func(vm driver.VM) bool { return vm.CPU == 2 && vm.Power == driver.PowerRunning }),
				),
			},
			{
				Config: fleet(2, 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changesAre("fleet.web[2]", "delete"),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("vms"), vmNames("tfacc-vs-0", "tfacc-vs-1")),
				},
			},
		},
	})
}

// TestAccVsphereConnectionSafeguards: the provider, like nova-plan, refuses
// an http:// url (the password would cross the network unencrypted),
// written or from NOVACRON_VSPHERE_URL, naming url; and
// NOVACRON_VSPHERE_INSECURE does not turn TLS verification off: insecure
// is read only where it is written.
func TestAccVsphereConnectionSafeguards(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	s, err := vcsim.Start(context.Background(), vcsim.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatalf("starting the vCenter simulator: %v", err)
	}
	t.Cleanup(s.Close)
	dir := testDir(t)
	plain := "http" + strings.TrimPrefix(s.URL, "https")
	block := func(settings string) string {
		return fmt.Sprintf(`
provider "novacron" {
  data_dir = %q
  vsphere {
    name       = "vc"
    user       = %q
    password   = %q
    datacenter = "DC0"
    cluster    = "DC0_C0"
%s
  }
}
data "novacron_hosts" "vc" {
  backend = "vc"
}
`, dir, s.User, s.Password, settings)
	}
	written := fmt.Sprintf("    url = %q\n    ca_file = %q", plain, s.CAFile)
	unverified := fmt.Sprintf("    url = %q", s.URL)
	steps := []resource.TestStep{
		{Config: block(written), ExpectError: regexp.MustCompile(`(?s)Invalid value for url.*uses http, which would send`)},
		{PreConfig: func() { t.Setenv("NOVACRON_VSPHERE_URL", plain) }, Config: block(fmt.Sprintf("    ca_file = %q", s.CAFile)),
			ExpectError: regexp.MustCompile(`(?s)Invalid value for url.*uses http`)},
		{PreConfig: func() { t.Setenv("NOVACRON_VSPHERE_URL", ""); t.Setenv("NOVACRON_VSPHERE_INSECURE", "true") },
			Config: block(unverified), ExpectError: regexp.MustCompile(`(?s)cannot verify the TLS\s+certificate`)},
		{Config: block(unverified + "\n    insecure = true"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.novacron_hosts.vc", tfjsonpath.New("hosts"), knownvalue.ListSizeExact(3)),
			}},
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: factories(), Steps: steps})
}
