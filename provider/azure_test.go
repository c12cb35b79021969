package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider/schema"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/azure"
	"github.com/novacron/novacron/engine/driver/catalog"
	"github.com/novacron/novacron/internal/azuretest"
)

// The Azure acceptance test runs the provider, through the real terraform
// binary, against the Azure SDK's own server fakes (internal/azuretest
// keeps their state) in this process: the registry is the built-in one
// with the azure factory pointed at the fakes.

const (
	azSubscription = "00000000-1111-2222-3333-444444444444"
	azSubnet       = "/subscriptions/" + azSubscription + "/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/default"
)

// azureFactories serve the provider with the azure driver on s.
func azureFactories(s *azuretest.Store) map[string]func() (tfprotov6.ProviderServer, error) {
	reg := &driver.Registry{}
	def := catalog.Default()
	for _, typ := range def.Types() {
		if f, _ := def.Lookup(typ); typ != azure.Type {
			reg.Register(f)
		}
	}
	reg.Register(azure.FactoryWith(azure.Options{Credential: s.Credential(), Transport: s.Transport(),
		PollFrequency: 5 * time.Millisecond, RetryDelay: 5 * time.Millisecond}))
	return map[string]func() (tfprotov6.ProviderServer, error){
		"novacron": providerserver.NewProtocol6WithError(NewWithRegistry("test", reg)()),
	}
}

// TestAccAzureFleet: novacron_fleet on an Azure backend: three VMs with
// the marker in their tags and a network interface each, a resize (a
// restart on Azure) rolled out in batches, scale in; destroy leaves no VM
// and no network interface.
func TestAccAzureFleet(t *testing.T) {
	s := azuretest.New(azuretest.Config{Subscription: azSubscription, ResourceGroup: "fleet-rg", Location: "westeurope",
		Subnets: []string{azSubnet}, Images: []string{"Canonical:0001-com-ubuntu-server-jammy:22_04-lts"},
		Sizes: []string{"Standard_B1ms", "Standard_B2s", "Standard_B2ms"}})
	dir := testDir(t)
	fleet := func(count, cpu int) string {
		return fmt.Sprintf(`
provider "novacron" {
  data_dir = %q
  azure {
    name            = "cloud"
    subscription_id = %q
    resource_group  = "fleet-rg"
    location        = "westeurope"
    subnet_id       = %q
    ssh_public_key  = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG5vdmFjcm9uLXRlc3Qta2V5 test"
  }
}
resource "novacron_fleet" "web" {
  backend        = "cloud"
  name           = "web"
  instance_count = %d
  name_pattern   = "tfacc-az-{index}"
  template       = { image = "Canonical:0001-com-ubuntu-server-jammy:22_04-lts:latest" }
  cpu            = %d
  memory_gb      = 2
  disk_gb        = 30
  rollout {
    batch_size = 2
  }
}
data "novacron_inventory" "web" {
  backend    = "cloud"
  name_regex = "^tfacc-az-"
  depends_on = [novacron_fleet.web]
}
`, dir, azSubscription, azSubnet, count, cpu)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: azureFactories(s),
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(checkNoVMs(dir, "azure.cloud"), func(*terraform.State) error {
			if n := len(s.NICNames()); n != 0 {
				return fmt.Errorf("%d network interfaces left after destroy", n)
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				Config: fleet(3, 1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(fleetAddr, tfjsonpath.New("vms"), knownvalue.MapSizeExact(3)),
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("vms"), vmNames("tfacc-az-0", "tfacc-az-1", "tfacc-az-2")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkMarkers(t, dir, "azure.cloud", fleetAddr),
					checkLiveOn(t, dir, "azure.cloud", "tfacc-az-2", func(vm driver.VM) bool {
						return vm.CPU == 1 && vm.MemoryMiB == 2048 && vm.DiskGB == 30 && vm.Power == driver.PowerRunning
					}),
					func(*terraform.State) error {
						if n := len(s.NICNames()); n != 3 {
							return fmt.Errorf("%d network interfaces, want 3", n)
						}
						return nil
					},
				),
			},
			{
				Config: fleet(3, 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(fleetAddr, plancheck.ResourceActionUpdate),
					changesAre("fleet.web[0]", "update", "fleet.web[1]", "update", "fleet.web[2]", "update"),
				}},
				Check: checkLiveOn(t, dir, "azure.cloud", "tfacc-az-0", func(vm driver.VM) bool { return vm.CPU == 2 && vm.Power == driver.PowerRunning }),
			},
			{
				Config: fleet(2, 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changesAre("fleet.web[2]", "delete"),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("vms"), vmNames("tfacc-az-0", "tfacc-az-1")),
				},
			},
		},
	})
}

// TestAzureBackendSchema: the schema generated from the built-in registry
// has an azure block with the driver's settings, none of them sensitive
// (there are no credentials among them), and subscription_id names its
// environment variable.
func TestAzureBackendSchema(t *testing.T) {
	block, ok := providerSchema(catalog.Default()).Blocks["azure"].(schema.ListNestedBlock)
	if !ok {
		t.Fatal("the provider schema has no azure block")
	}
	attrs := block.NestedObject.Attributes
	for _, name := range []string{"name", "subscription_id", "resource_group", "location", "subnet_id", "admin_username", "ssh_public_key", "operation_timeout"} {
		if attrs[name] == nil {
			t.Errorf("the azure block has no %s", name)
		} else if attrs[name].IsSensitive() {
			t.Errorf("%s is sensitive", name)
		}
	}
	if d := attrs["subscription_id"].GetDescription(); !strings.Contains(d, "NOVACRON_AZURE_SUBSCRIPTION_ID") {
		t.Errorf("subscription_id's description %q does not name NOVACRON_AZURE_SUBSCRIPTION_ID", d)
	}
}
