package provider

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/novacron/novacron/engine/driver"
)

const invAddr = "data.novacron_inventory.web"

// inventoryConfig is a fleet of three and a data source with filters.
func inventoryConfig(dir, filters string) string {
	return fleetConfig(dir, fleetBody(3, 1, "ubuntu-22.04")) + `
data "novacron_inventory" "web" {
  backend    = "lab"
  depends_on = [novacron_fleet.web]
  ` + filters + `
}
`
}

func vmNames(names ...string) knownvalue.Check {
	elems := make([]knownvalue.Check, len(names))
	for i, n := range names {
		elems[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact(n)})
	}
	return knownvalue.ListExact(elems)
}

// TestAccInventory: read with filters, a changed filter, drift seen on the
// next read (a VM made out of band), the data source
// removed.
func TestAccInventory(t *testing.T) {
	dir := testDir(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				Config: inventoryConfig(dir, `name_regex = "^web-[01]$"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("vms"), vmNames("web-0", "web-1")),
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("vms").AtSliceIndex(0).AtMapKey("owner"), knownvalue.StringExact("fleet.web[0]")),
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("vms").AtSliceIndex(0).AtMapKey("ip_addresses"), knownvalue.ListSizeExact(1)),
				},
			},
			{
				Config: inventoryConfig(dir, `tags = { tier = "web" }`+"\n  power = \"running\""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("vms"), vmNames("web-0", "web-1", "web-2")),
				},
			},
			{ // drift: a VM made behind Terraform's back shows on the next read
				PreConfig: func() {
					if _, err := pooledDriver(t, dir, "sim.lab").Create(context.Background(), driver.VMSpec{Name: "stray", CPU: 1, MemoryMiB: 512,
						Power: driver.PowerStopped, Template: driver.TemplateRef{Config: driver.Config{"image": "x"}}}); err != nil {
						t.Fatal(err)
					}
				},
				Config: inventoryConfig(dir, `power = "stopped"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("vms"), vmNames("stray")),
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("vms").AtSliceIndex(0).AtMapKey("owner"), knownvalue.StringExact("")),
				},
			},
			{
				Config: inventoryConfig(dir, `managed = false`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("vms"), vmNames("stray")),
				},
			},
			{Config: fleetConfig(dir, fleetBody(3, 1, "ubuntu-22.04"))}, // the data source is gone
		},
	})
}

// TestAccInventory_invalidFilter: a bad regular expression is a plan error.
func TestAccInventory_invalidFilter(t *testing.T) {
	dir := testDir(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config:      providerBlock(dir) + "data \"novacron_inventory\" \"web\" {\n  backend    = \"lab\"\n  name_regex = \"(\"\n}\n",
			ExpectError: regexp.MustCompile(`Invalid regular expression`),
		}},
	})
}

// TestAccInventory_sealedTemplates: a value of sensitive_template is sealed
// by the engine in the template ID the VM carries, so novacron_inventory,
// which shows template_id as the backend reports it, shows its digest and
// never the value; nor does the backend hold it.
func TestAccInventory_sealedTemplates(t *testing.T) {
	dir := testDir(t)
	config := providerBlock(dir, "hosts = 3") + `
resource "novacron_vm" "db" {
  backend            = "lab"
  name               = "db-01"
  sensitive_template = { image = "WRITEONLY-image" }
  cpu                = 1
  memory_gb          = 1
}
data "novacron_inventory" "all" {
  backend    = "lab"
  depends_on = [novacron_vm.db]
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.novacron_inventory.all", tfjsonpath.New("vms").AtSliceIndex(0).AtMapKey("template_id"),
					knownvalue.StringRegexp(regexp.MustCompile(`^image=sensitive:[A-Za-z0-9_$=,;+/-]{16,}$`))),
				statecheck.ExpectKnownValue(vmAddr, tfjsonpath.New("template_id"), knownvalue.StringRegexp(digestRe)),
			},
			Check: checkLive(t, dir, func(vm driver.VM) error {
				return expect(!strings.Contains(vm.Template, "WRITEONLY") && strings.HasPrefix(vm.Template, "image=sensitive:"), "the VM's template", vm.Template)
			}),
		}},
	})
}
