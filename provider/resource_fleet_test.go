package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/novacron/novacron/engine/driver"
)

const fleetAddr = "novacron_fleet.web"

// fleetConfig is fleet "web" on the sim backend "lab".
func fleetConfig(dir, body string) string {
	return providerBlock(dir, "hosts = 3") + fmt.Sprintf(`
resource "novacron_fleet" "web" {
  backend = "lab"
  name    = "web"
  %s
}
`, body)
}

func fleetBody(count, cpu int, image string) string {
	return fmt.Sprintf("instance_count = %d\n  template = { image = %q }\n  cpu = %d\n  memory_gb = 2\n  tags = { tier = \"web\" }", count, image, cpu)
}

// changesAre expects the planned changes attribute to hold exactly these
// (address, action) pairs, in order.
func changesAre(pairs ...string) plancheck.PlanCheck {
	var elems []knownvalue.Check
	for i := 0; i < len(pairs); i += 2 {
		elems = append(elems, knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"address": knownvalue.StringExact(pairs[i]), "action": knownvalue.StringExact(pairs[i+1]),
		}))
	}
	return plancheck.ExpectKnownValue(fleetAddr, tfjsonpath.New("changes"), knownvalue.ListExact(elems))
}

func vmID(key string) tfjsonpath.Path { return tfjsonpath.New("vms").AtMapKey(key).AtMapKey("id") }

// TestAccFleet_lifecycle: create, update in place, scale out and in,
// rolling replacement by template (the resource itself is updated, not
// replaced), import (command and import block), drift, a VM deleted out of
// band, destroy.
func TestAccFleet_lifecycle(t *testing.T) {
	dir := testDir(t)
	sameID, newID := statecheck.CompareValue(compare.ValuesSame()), statecheck.CompareValue(compare.ValuesDiffer())
	var lineage string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             checkNoVMs(dir, "sim.lab"),
		Steps: []resource.TestStep{
			{
				Config: fleetConfig(dir, fleetBody(3, 1, "ubuntu-22.04")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changesAre("fleet.web[0]", "create", "fleet.web[1]", "create", "fleet.web[2]", "create"),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(fleetAddr, tfjsonpath.New("id"), knownvalue.StringExact("lab/web")),
					statecheck.ExpectKnownValue(fleetAddr, tfjsonpath.New("vms"), knownvalue.MapSizeExact(3)),
					statecheck.ExpectKnownValue(fleetAddr, tfjsonpath.New("vms").AtMapKey("2").AtMapKey("name"), knownvalue.StringExact("web-2")),
					sameID.AddStateValue(fleetAddr, vmID("0")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkFleetLive(t, dir, 3, func(vm driver.VM) bool { return vm.CPU == 1 && vm.Tags["tier"] == "web" }),
					checkMarkers(t, dir, "sim.lab", fleetAddr),
				),
			},
			{
				Config: fleetConfig(dir, fleetBody(3, 2, "ubuntu-22.04")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(fleetAddr, plancheck.ResourceActionUpdate),
					changesAre("fleet.web[0]", "update", "fleet.web[1]", "update", "fleet.web[2]", "update"),
				}},
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(fleetAddr, vmID("0"))},
				Check:             checkFleetLive(t, dir, 3, func(vm driver.VM) bool { return vm.CPU == 2 }),
			},
			{
				Config: fleetConfig(dir, fleetBody(5, 2, "ubuntu-22.04")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changesAre("fleet.web[3]", "create", "fleet.web[4]", "create"),
				}},
				Check: checkFleetLive(t, dir, 5, func(vm driver.VM) bool { return vm.CPU == 2 }),
			},
			{
				Config: fleetConfig(dir, fleetBody(2, 2, "ubuntu-22.04")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changesAre("fleet.web[2]", "delete", "fleet.web[3]", "delete", "fleet.web[4]", "delete"),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(fleetAddr, tfjsonpath.New("vms"), knownvalue.MapSizeExact(2)),
					sameID.AddStateValue(fleetAddr, vmID("0")),
					newID.AddStateValue(fleetAddr, vmID("0")),
				},
				Check: checkFleetLive(t, dir, 2, func(vm driver.VM) bool { return vm.CPU == 2 }),
			},
			{
				Config: fleetConfig(dir, fleetBody(2, 2, "ubuntu-24.04")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(fleetAddr, plancheck.ResourceActionUpdate),
					changesAre("fleet.web[0]", "replace", "fleet.web[1]", "replace"),
				}},
				ConfigStateChecks: []statecheck.StateCheck{newID.AddStateValue(fleetAddr, vmID("0"))},
				Check: resource.ComposeAggregateTestCheckFunc(lineageOf(fleetAddr, &lineage),
					checkFleetLive(t, dir, 2, func(vm driver.VM) bool { return vm.Template == `image="ubuntu-24.04"` })),
			},
			{
				ResourceName: fleetAddr, ImportState: true, ImportStateIdFunc: ownImportID(fleetAddr, "lab", "web"),
				ImportStateVerify: true, ImportStateVerifyIgnore: []string{"changes", "last_apply", "timeouts", "lineage"},
			},
			{ResourceName: fleetAddr, ImportState: true, ImportStateIdFunc: ownImportID(fleetAddr, "lab", "web"), ImportStateKind: resource.ImportBlockWithID},
			{ // drift: one VM resized behind Terraform's back
				PreConfig: func() {
					undoImports(t, dir, "sim.lab", &lineage, "web-0", "web-1")()
					resizeOutOfBand(t, dir, "sim.lab", "web-1", 6)
				},
				Config: fleetConfig(dir, fleetBody(2, 2, "ubuntu-24.04")), PlanOnly: true, ExpectNonEmptyPlan: true,
			},
			{ // the next plan changes that VM alone back
				Config: fleetConfig(dir, fleetBody(2, 2, "ubuntu-24.04")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changesAre("fleet.web[1]", "update"),
				}},
				Check: checkFleetLive(t, dir, 2, func(vm driver.VM) bool { return vm.CPU == 2 }),
			},
			{ // a VM deleted out of band is created again
				PreConfig: func() { deleteOutOfBand(t, dir, "sim.lab", "web-0") },
				Config:    fleetConfig(dir, fleetBody(2, 2, "ubuntu-24.04")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changesAre("fleet.web[0]", "create"),
				}},
				Check: checkFleetLive(t, dir, 2, func(vm driver.VM) bool { return vm.CPU == 2 }),
			},
		},
	})
}

// TestAccFleet_instances: keyed instances with overrides and a name
// pattern; a host change is a migration; keys leave and join.
func TestAccFleet_instances(t *testing.T) {
	dir := testDir(t)
	body := func(bHost, keys string) string {
		return fmt.Sprintf(`template = { image = "ubuntu-22.04" }
  cpu          = 1
  memory_gb    = 1
  name_pattern = "{fleet}-{key}-vm"
  instances = {
    %s
    b = { cpu = 4, host = %q, tags = { role = "primary" } }
  }
  placement { spread_by = "host" }`, keys, bHost)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             checkNoVMs(dir, "sim.lab"),
		Steps: []resource.TestStep{
			{
				Config: fleetConfig(dir, body("hv-02", "a = {}")),
				Check: func(*terraform.State) error {
					vms := liveVMs(t, dir, "sim.lab")
					a, b := vms["web-a-vm"], vms["web-b-vm"]
					if len(vms) != 2 || a.CPU != 1 || b.CPU != 4 || b.Host != "hv-02" || b.Tags["role"] != "primary" {
						return fmt.Errorf("unexpected VMs: %+v", vms)
					}
					return nil
				},
			},
			{
				Config: fleetConfig(dir, body("hv-03", "a = {}")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changesAre(`fleet.web["b"]`, "migrate"),
				}},
				Check: checkLiveNamed(t, dir, "web-b-vm", func(vm driver.VM) bool { return vm.Host == "hv-03" }),
			},
			{
				Config: fleetConfig(dir, body("hv-03", "c = { power = \"stopped\" }")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changesAre(`fleet.web["a"]`, "delete", `fleet.web["c"]`, "create"),
				}},
				Check: checkLiveNamed(t, dir, "web-c-vm", func(vm driver.VM) bool { return vm.Power == driver.PowerStopped }),
			},
		},
	})
}

// TestAccFleet_leftByAStoppedCreate: a VM that carries a fleet marker of a
// lineage no state holds (made by a create that stopped before Terraform
// saved the fleet, or another configuration's) is never adopted or deleted
// silently: the plan stops with the import that takes it, and after that
// import the fleet creates only what is missing.
func TestAccFleet_leftByAStoppedCreate(t *testing.T) {
	dir := testDir(t)
	const lost = "terraform:novacron_fleet:web:5e1f00d"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{Config: providerBlock(dir, "hosts = 3") + `data "novacron_hosts" "open" { backend = "lab" }`},
			{
				PreConfig: func() {
					_, err := pooledDriver(t, dir, "sim.lab").Create(context.Background(), driver.VMSpec{
						Name: "web-1", CPU: 1, MemoryMiB: 2048, DiskGB: 20, Power: driver.PowerRunning,
						Template: driver.TemplateRef{Config: driver.Config{"image": "ubuntu-22.04"}},
						Tags:     map[string]string{"tier": "web"},
						Marker:   driver.Marker{Address: "fleet.web[1]", Lineage: lost, SpecHash: "crashed"},
					})
					if err != nil {
						t.Fatal(err)
					}
				},
				Config:      fleetConfig(dir, fleetBody(3, 1, "ubuntu-22.04")),
				ExpectError: regexp.MustCompile(`(?s)VM name already in use.*terraform import ADDRESS\s+'lab/web@` + lost + `'`),
			},
			{
				Config: fleetConfig(dir, fleetBody(3, 1, "ubuntu-22.04")), ResourceName: fleetAddr,
				ImportState: true, ImportStateId: "lab/web@" + lost, ImportStatePersist: true,
			},
			{
				Config: fleetConfig(dir, fleetBody(3, 1, "ubuntu-22.04")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changesAre("fleet.web[0]", "create", "fleet.web[2]", "create"),
				}},
				Check: checkFleetLive(t, dir, 3, func(vm driver.VM) bool { return vm.CPU == 1 }),
			},
		},
	})
}

// TestAccFleet_adoptsAfterAStoppedUpdate: a VM that an update made and
// that carries the fleet's lineage, but that Terraform did not save (the
// apply stopped), is adopted by the next apply, not made twice.
func TestAccFleet_adoptsAfterAStoppedUpdate(t *testing.T) {
	dir := testDir(t)
	var lineage string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             checkNoVMs(dir, "sim.lab"),
		Steps: []resource.TestStep{
			{
				Config: fleetConfig(dir, fleetBody(2, 1, "ubuntu-22.04")),
				Check: func(s *terraform.State) error {
					lineage = s.RootModule().Resources[fleetAddr].Primary.Attributes["lineage"]
					return nil
				},
			},
			{
				PreConfig: func() {
					_, err := pooledDriver(t, dir, "sim.lab").Create(context.Background(), driver.VMSpec{
						Name: "web-2", CPU: 1, MemoryMiB: 2048, DiskGB: 20, Power: driver.PowerRunning,
						Template: driver.TemplateRef{Config: driver.Config{"image": "ubuntu-22.04"}},
						Tags:     map[string]string{"tier": "web"},
						Marker:   driver.Marker{Address: "fleet.web[2]", Lineage: lineage, SpecHash: "stopped"},
					})
					if err != nil {
						t.Fatal(err)
					}
				},
				Config: fleetConfig(dir, fleetBody(3, 1, "ubuntu-22.04")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changesAre("fleet.web[2]", "adopt"),
				}},
				Check: checkFleetLive(t, dir, 3, func(vm driver.VM) bool { return vm.CPU == 1 }),
			},
		},
	})
}

// TestAccFleet_invalidNames: a name pattern that names two VMs alike is a
// plan error that says how to fix it.
func TestAccFleet_invalidNames(t *testing.T) {
	dir := testDir(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config:      fleetConfig(dir, fleetBody(2, 1, "u")+"\n  name_pattern = \"web\""),
			ExpectError: regexp.MustCompile(`would both be named "web"`),
		}, {
			Config:      fleetConfig(dir, "template = { image = \"u\" }\n cpu = 1\n memory_gb = 1"),
			ExpectError: regexp.MustCompile(`(?s)Exactly one of these attributes must be configured:.*instance_count,instances`),
		}},
	})
}

func checkFleetLive(t *testing.T, dir string, n int, ok func(driver.VM) bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		vms := liveVMs(t, dir, "sim.lab")
		if len(vms) != n {
			return fmt.Errorf("the backend has %d VMs, want %d", len(vms), n)
		}
		for name, vm := range vms {
			if !ok(vm) {
				return fmt.Errorf("VM %s is not as expected: %+v", name, vm)
			}
		}
		return nil
	}
}

func checkLiveNamed(t *testing.T, dir, name string, ok func(driver.VM) bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if vm := liveVM(t, dir, "sim.lab", name); !ok(vm) {
			return fmt.Errorf("VM %s is not as expected: %+v", name, vm)
		}
		return nil
	}
}

// TestAccFleet_unknownInputs: attributes known only after another resource
// is applied plan as unknown, apply, and leave nothing to do.
func TestAccFleet_unknownInputs(t *testing.T) {
	dir := testDir(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: vmConfig(dir, vmBase) + `
resource "novacron_fleet" "web" {
  backend        = "lab"
  name           = "web"
  instance_count = 2
  template       = { image = "ubuntu-22.04" }
  cpu            = 1
  memory_gb      = 1
  tags           = { db = novacron_vm.db.id }
}
`,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectUnknownValue(fleetAddr, tfjsonpath.New("changes")),
			}},
			Check: checkFleetLive(t, dir, 3, func(vm driver.VM) bool { return vm.Name == "db-01" || vm.Tags["db"] != "" }),
		}},
	})
}
