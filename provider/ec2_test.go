package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/catalog"
	"github.com/novacron/novacron/internal/ec2test"
)

// The EC2 acceptance tests run the provider against internal/ec2test, a
// strict EC2 Query-protocol server started in this process for each test;
// the real AWS SDK reads its credentials and region from the environment,
// as it would a real account's.

// TestEC2BackendSchema: the schema generated from the built-in registry
// has an ec2 block with the driver's settings.
func TestEC2BackendSchema(t *testing.T) {
	block, ok := providerSchema(catalog.Default()).Blocks["ec2"].(schema.ListNestedBlock)
	if !ok {
		t.Fatal("the provider schema has no ec2 block")
	}
	for _, name := range []string{"name", "region", "profile", "endpoint", "subnet_id", "security_group_ids", "key_name"} {
		if block.NestedObject.Attributes[name] == nil {
			t.Errorf("the ec2 block has no %s", name)
		}
	}
}

// ec2Backend starts a test server, points the SDK's environment at it,
// and returns the data folder, the server and a provider block with
// backend "aws".
func ec2Backend(t *testing.T) (string, *ec2test.Server, string) {
	t.Helper()
	s, err := ec2test.Start(ec2test.Options{Transition: 30 * time.Millisecond})
	if err != nil {
		t.Fatalf("starting the EC2 test server: %v", err)
	}
	t.Cleanup(s.Close)
	for _, kv := range s.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	dir := testDir(t)
	return dir, s, fmt.Sprintf(`
provider "novacron" {
  data_dir = %q
  ec2 {
    name               = "aws"
    endpoint           = %q
    subnet_id          = %q
    security_group_ids = [%q]
    poll_interval      = "20ms"
  }
}
`, dir, s.URL, ec2test.SubnetB, ec2test.SecurityGroup)
}

// TestAccEC2Fleet: novacron_fleet on an EC2 backend: launch three
// instances (marker tags on each, the cheapest fitting type), a rolling
// resize (a restart: stop, new type, start), scale in; destroy leaves no
// live instance.
func TestAccEC2Fleet(t *testing.T) {
	dir, s, provider := ec2Backend(t)
	fleet := func(count, cpu int) string {
		return provider + fmt.Sprintf(`
resource "novacron_fleet" "web" {
  backend        = "aws"
  name           = "web"
  instance_count = %d
  name_pattern   = "tfacc-ec2-{index}"
  template       = { ami = %q }
  cpu            = %d
  memory_gb      = 4
  disk_gb        = 20
  rollout {
    batch_size = 2
  }
}
data "novacron_inventory" "web" {
  backend    = "aws"
  name_regex = "^tfacc-ec2-"
  depends_on = [novacron_fleet.web]
}
`, count, ec2test.ImageX86, cpu)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             checkNoVMs(dir, "ec2.aws"),
		Steps: []resource.TestStep{
			{
				Config: fleet(3, 2),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(fleetAddr, tfjsonpath.New("vms"), knownvalue.MapSizeExact(3)),
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("vms"), vmNames("tfacc-ec2-0", "tfacc-ec2-1", "tfacc-ec2-2")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkMarkers(t, dir, "ec2.aws", fleetAddr),
					checkLiveOn(t, dir, "ec2.aws", "tfacc-ec2-2", func(vm driver.VM) bool {
						return vm.CPU == 2 && vm.MemoryMiB == 4096 && vm.DiskGB == 20 && vm.Power == driver.PowerRunning && vm.Host == s.Region+"b"
					}),
					checkTypes(s, 3, "t3a.medium"),
				),
			},
			{
				Config: fleet(3, 4),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(fleetAddr, plancheck.ResourceActionUpdate),
					changesAre("fleet.web[0]", "update", "fleet.web[1]", "update", "fleet.web[2]", "update"),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkLiveOn(t, dir, "ec2.aws", "tfacc-ec2-0", func(vm driver.VM) bool { return vm.CPU == 4 && vm.Power == driver.PowerRunning }),
					checkTypes(s, 3, "t3a.xlarge"), // $0.1504 an hour, before c6a.xlarge at $0.153,
				),
			},
			{
				Config: fleet(2, 4),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changesAre("fleet.web[2]", "delete"),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("vms"), vmNames("tfacc-ec2-0", "tfacc-ec2-1")),
				},
			},
		},
	})
	if n := len(s.Live()); n != 0 {
		t.Errorf("the EC2 server runs %d instances after destroy", n)
	}
}

// checkTypes checks, on the server itself, that n instances run, all of
// the instance type given.
func checkTypes(s *ec2test.Server, n int, itype string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		live := s.Live()
		if len(live) != n {
			return fmt.Errorf("the server runs %d instances, want %d", len(live), n)
		}
		for _, i := range live {
			if i.Type != itype || i.State != "running" {
				return fmt.Errorf("instance %s (%s) is a %s, %s; want a running %s", i.ID, i.Name, i.Type, i.State, itype)
			}
		}
		return nil
	}
}
