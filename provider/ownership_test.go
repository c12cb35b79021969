package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/novacron/novacron/engine/driver"
)

// betweenPlanAndApply is a plan check that changes the backend after
// Terraform saved the plan and before it applies it: another tool at work.
type betweenPlanAndApply func()

func (f betweenPlanAndApply) CheckPlan(context.Context, plancheck.CheckPlanRequest, *plancheck.CheckPlanResponse) {
	f()
}

var staleErr = regexp.MustCompile(`(?s)The VMs changed since the plan was made.*run terraform apply again`)

// TestAccFleet_taint: a tainted fleet is replaced: every old VM deleted,
// as many new ones created, none adopted (the old VMs are the replaced
// object's).
func TestAccFleet_taint(t *testing.T) {
	dir := testDir(t)
	body := fleetBody(4, 1, "ubuntu-22.04") + "\n  rollout {\n    batch_size = 3\n  }"
	var oldIDs map[string]bool
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             checkNoVMs(dir, "sim.lab"),
		Steps: []resource.TestStep{
			{
				Config: fleetConfig(dir, body),
				Check: func(*terraform.State) error {
					oldIDs = map[string]bool{}
					for _, vm := range liveVMs(t, dir, "sim.lab") {
						oldIDs[vm.ID] = true
					}
					return nil
				},
			},
			{
				Config: fleetConfig(dir, body),
				Taint:  []string{fleetAddr},
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(fleetAddr, plancheck.ResourceActionDestroyBeforeCreate),
					changesAre("fleet.web[0]", "create", "fleet.web[1]", "create", "fleet.web[2]", "create", "fleet.web[3]", "create"),
				}},
				Check: checkFleetLive(t, dir, 4, func(vm driver.VM) bool { return !oldIDs[vm.ID] }),
			},
		},
	})
}

func cbdVM(name, image string) string {
	return fmt.Sprintf(`
resource "novacron_vm" "db" {
  backend   = "lab"
  name      = %q
  template  = { image = %q }
  cpu       = 1
  memory_gb = 1
  lifecycle {
    create_before_destroy = true
  }
}
`, name, image)
}

// TestAccVM_createBeforeDestroy: a replacement under create_before_destroy
// that keeps the VM's name stops before changing anything, saying to
// change the name or remove create_before_destroy, and Terraform keeps the
// old object (every plan of the new one, in any provider process, plans
// the same); without create_before_destroy the next apply replaces it;
// with a new name it creates the new VM, then deletes the old one.
func TestAccVM_createBeforeDestroy(t *testing.T) {
	dir := testDir(t)
	var oldID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             checkNoVMs(dir, "sim.lab"),
		Steps: []resource.TestStep{
			{
				Config: providerBlock(dir, "hosts = 3") + cbdVM("db-01", "u1"),
				Check:  func(*terraform.State) error { oldID = liveVM(t, dir, "sim.lab", "db-01").ID; return nil },
			},
			{
				Config:      providerBlock(dir, "hosts = 3") + cbdVM("db-01", "u2"),
				ExpectError: regexp.MustCompile(`(?s)create_before_destroy.*name`),
			},
			{ // nothing was changed: the old VM is there, and in state
				Config: providerBlock(dir, "hosts = 3") + cbdVM("db-01", "u1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(vmAddr, plancheck.ResourceActionNoop),
				}},
				Check: func(*terraform.State) error {
					vms := liveVMs(t, dir, "sim.lab")
					return expect(len(vms) == 1 && vms["db-01"].ID == oldID, "the VMs after a refused create_before_destroy", vms)
				},
			},
			{ // refused again: Terraform kept the old object as current both times
				Config:      providerBlock(dir, "hosts = 3") + cbdVM("db-01", "u2"),
				ExpectError: regexp.MustCompile(`(?s)VM name already in use.*remove create_before_destroy`),
			},
			{ // the recovery the message gives: without create_before_destroy, destroy then create
				Config: vmConfig(dir, `template = { image = "u2" }`+"\n  cpu = 1\n  memory_gb = 1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(vmAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: func(*terraform.State) error {
					vms := liveVMs(t, dir, "sim.lab")
					return expect(len(vms) == 1 && vms["db-01"].ID != oldID && vms["db-01"].Template == `image="u2"`, "the VMs after the replace without create_before_destroy", vms)
				},
			},
			{
				Config: providerBlock(dir, "hosts = 3") + cbdVM("db-02", "u2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(vmAddr, plancheck.ResourceActionCreateBeforeDestroy),
				}},
				Check: func(*terraform.State) error {
					vms := liveVMs(t, dir, "sim.lab")
					return expect(len(vms) == 1 && vms["db-02"].Template == `image="u2"`, "the VMs after create_before_destroy", vms)
				},
			},
		},
	})
}

// TestAccFleet_savedPlanDrift: a VM deleted between plan and apply stops
// the apply of the saved plan with the provider's own error, before any
// change; the next apply plans against the fleet as it is.
func TestAccFleet_savedPlanDrift(t *testing.T) {
	dir := testDir(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{Config: fleetConfig(dir, fleetBody(3, 1, "ubuntu-22.04"))},
			{
				Config: fleetConfig(dir, fleetBody(3, 2, "ubuntu-22.04")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					betweenPlanAndApply(func() { deleteOutOfBand(t, dir, "sim.lab", "web-1") }),
				}},
				ExpectError: staleErr,
			},
			{
				Config: fleetConfig(dir, fleetBody(3, 2, "ubuntu-22.04")),
				PreConfig: func() {
					vms := liveVMs(t, dir, "sim.lab")
					if len(vms) != 2 || vms["web-0"].CPU != 1 || vms["web-2"].CPU != 1 {
						t.Errorf("the refused apply changed the VMs: %+v", vms)
					}
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changesAre("fleet.web[0]", "update", "fleet.web[1]", "create", "fleet.web[2]", "update"),
				}},
				Check: checkFleetLive(t, dir, 3, func(vm driver.VM) bool { return vm.CPU == 2 }),
			},
		},
	})
}

// TestAccVM_savedPlanDrift: the same for a novacron_vm resized between
// plan and apply.
func TestAccVM_savedPlanDrift(t *testing.T) {
	dir := testDir(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{Config: vmConfig(dir, vmBase)},
			{
				Config: vmConfig(dir, vmBigger),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					betweenPlanAndApply(func() { resizeOutOfBand(t, dir, "sim.lab", "db-01", 6) }),
				}},
				ExpectError: staleErr,
			},
			{
				Config: vmConfig(dir, vmBigger),
				Check:  checkLive(t, dir, func(vm driver.VM) error { return expect(vm.CPU == 4, "VM after the second apply", vm) }),
			},
		},
	})
}

// ownedVM makes VM name on the sim backend as another owner would (a
// nova-plan workspace, another configuration), with its marker: the
// owner's lineage and address. tier and memory match vmBase (db) or
// fleetBody (web).
func ownedVM(t *testing.T, dir, name, address, lineage, tier string) {
	t.Helper()
	mem := map[string]int64{"db": 4096, "web": 2048}[tier]
	_, err := pooledDriver(t, dir, "sim.lab").Create(context.Background(), driver.VMSpec{
		Name: name, CPU: 2, MemoryMiB: mem, DiskGB: 20, Power: driver.PowerRunning,
		Template: driver.TemplateRef{Config: driver.Config{"image": "ubuntu-22.04"}},
		Tags:     map[string]string{"tier": tier},
		Marker:   driver.Marker{Address: address, Lineage: lineage, SpecHash: "x"},
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestAccVM_importOwnedElsewhere: import refuses a VM another owner's
// marker claims, naming the owner and the explicit form; the explicit form
// (BACKEND/NAME@LINEAGE) imports it.
func TestAccVM_importOwnedElsewhere(t *testing.T) {
	dir := testDir(t)
	const owner = "2b7e1f40-nova-plan-workspace"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{Config: providerBlock(dir, "hosts = 3") + `data "novacron_hosts" "open" { backend = "lab" }`},
			{
				PreConfig:     func() { ownedVM(t, dir, "db-01", "fleet.db[0]", owner, "db") },
				Config:        vmConfig(dir, vmBase),
				ResourceName:  vmAddr,
				ImportState:   true,
				ImportStateId: "lab/db-01",
				ExpectError:   regexp.MustCompile(`(?s)owned by.*` + owner + `.*lab/db-01@` + owner),
			},
			{
				Config: vmConfig(dir, vmBase), ResourceName: vmAddr,
				ImportState: true, ImportStateId: "lab/db-01@wrong-lineage",
				ExpectError: regexp.MustCompile(`(?s)owned by.*` + owner),
			},
			{
				Config: vmConfig(dir, vmBase), ResourceName: vmAddr,
				ImportState: true, ImportStateId: "lab/db-01@" + owner, ImportStatePersist: true,
			},
			{
				Config:           vmConfig(dir, vmBase),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// TestAccFleet_importNamesTheLineage: a fleet import without a lineage
// lists the owners of the fleet's VMs; with one it imports those alone.
func TestAccFleet_importNamesTheLineage(t *testing.T) {
	dir := testDir(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{Config: providerBlock(dir, "hosts = 3") + `data "novacron_hosts" "open" { backend = "lab" }`},
			{
				PreConfig: func() {
					ownedVM(t, dir, "web-0", "fleet.web[0]", "lineage-A", "web")
					ownedVM(t, dir, "web-1", "fleet.web[1]", "lineage-A", "web")
					ownedVM(t, dir, "other-0", "fleet.web[0]", "lineage-B", "web")
				},
				Config:        fleetConfig(dir, fleetBody(2, 2, "ubuntu-22.04")),
				ResourceName:  fleetAddr,
				ImportState:   true,
				ImportStateId: "lab/web",
				ExpectError:   regexp.MustCompile(`(?s)Import names no lineage.*(lab/web@lineage-A.*lab/web@lineage-B|lab/web@lineage-B.*lab/web@lineage-A)`),
			},
			{
				Config:        fleetConfig(dir, fleetBody(2, 2, "ubuntu-22.04")),
				ResourceName:  fleetAddr,
				ImportState:   true,
				ImportStateId: "lab/web@lineage-Z",
				ExpectError:   regexp.MustCompile(`(?s)Lineage does not match.*No VM of fleet "web" carries lineage lineage-Z.*lab/web@lineage-A`),
			},
			{
				Config: fleetConfig(dir, fleetBody(2, 2, "ubuntu-22.04")), ResourceName: fleetAddr,
				ImportState: true, ImportStateId: "lab/web@lineage-A", ImportStatePersist: true,
			},
			{
				Config: fleetConfig(dir, fleetBody(2, 2, "ubuntu-22.04")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				Check: func(*terraform.State) error {
					return expect(len(liveVMs(t, dir, "sim.lab")) == 3, "the VMs after the import", liveVMs(t, dir, "sim.lab"))
				},
			},
		},
	})
}

// markedAs checks that the named VMs carry resource addr's lineage and
// these addresses in their markers, and the others the marker they had.
func markedAs(t *testing.T, dir, addr string, want map[string]string, others map[string]driver.Marker) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		lineage := s.RootModule().Resources[addr].Primary.Attributes["lineage"]
		vms := liveVMs(t, dir, "sim.lab")
		for name, address := range want {
			if m := vms[name].Marker; m == nil || m.Lineage != lineage || m.Address != address {
				return fmt.Errorf("VM %s carries marker %+v, want %s of %s's lineage %s", name, m, address, addr, lineage)
			}
		}
		for name, was := range others {
			if m := vms[name].Marker; m == nil || *m != was {
				return fmt.Errorf("VM %s carries marker %+v, want the one it had, %+v", name, m, was)
			}
		}
		return nil
	}
}

// TestAccImport_marksTheVMs: an import that takes VMs over from another
// owner (BACKEND/NAME@LINEAGE) adopts them as the engine's import does:
// they carry the importing resource's marker (its lineage, their new
// addresses), so the former owner's marker no longer claims them; a VM the
// import leaves keeps its owner's. The next plan is empty.
func TestAccImport_marksTheVMs(t *testing.T) {
	dir := testDir(t)
	const owner = "2b7e1f40-nova-plan-workspace"
	empty := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
	both := vmConfig(dir, vmBase) + strings.TrimPrefix(fleetConfig(dir, fleetBody(2, 2, "ubuntu-22.04")), providerBlock(dir, "hosts = 3"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{Config: providerBlock(dir, "hosts = 3") + `data "novacron_hosts" "open" { backend = "lab" }`},
			{
				PreConfig: func() {
					ownedVM(t, dir, "db-01", "fleet.db[0]", owner, "db")
					ownedVM(t, dir, "web-0", "fleet.web[0]", "lineage-A", "web")
					ownedVM(t, dir, "web-1", "fleet.web[1]", "lineage-A", "web")
					ownedVM(t, dir, "other-0", "fleet.web[0]", "lineage-B", "web")
				},
				Config: vmConfig(dir, vmBase), ResourceName: vmAddr,
				ImportState: true, ImportStateId: "lab/db-01@" + owner, ImportStatePersist: true,
			},
			{
				Config: vmConfig(dir, vmBase), ConfigPlanChecks: empty,
				Check: markedAs(t, dir, vmAddr, map[string]string{"db-01": "vm.db-01"}, nil),
			},
			{
				Config: both, ResourceName: fleetAddr,
				ImportState: true, ImportStateId: "lab/web@lineage-A", ImportStatePersist: true,
			},
			{
				Config: both, ConfigPlanChecks: empty,
				Check: markedAs(t, dir, fleetAddr, map[string]string{"web-0": "fleet.web[0]", "web-1": "fleet.web[1]"},
					map[string]driver.Marker{"other-0": {Address: "fleet.web[0]", Lineage: "lineage-B", SpecHash: "x"}}),
			},
		},
	})
}

// TestAccFleet_errorRanges: an invalid value inside instances is reported
// on that instance's line, not on the fleet's own attribute of that name;
// a fractional cpu is an error on cpu, not a provider failure.
func TestAccFleet_errorRanges(t *testing.T) {
	dir := testDir(t)
	instances := `template  = { image = "u" }
  cpu       = 1
  memory_gb = 1
  instances = {
    a = {}
    b = { cpu = 0 }
  }`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{Config: fleetConfig(dir, instances), ExpectError: regexp.MustCompile(`(?s)\d+:\s+b = \{ cpu = 0 \}.*instances\["b"\].cpu must be between 1 and 768; got 0`)},
			{Config: fleetConfig(dir, fleetBody(1, 1, "u")+"\n  disk_gb = 10.5"), ExpectError: regexp.MustCompile(`disk_gb must be a whole number`)},
			{Config: vmConfig(dir, `template = { image = "u" }`+"\n  cpu = 1.5\n  memory_gb = 1"), ExpectError: regexp.MustCompile(`cpu must be a whole number; got 1.5`)},
		},
	})
}

// TestAccVM_planChecksPlacement: a VM no host can take, or pinned to a host
// that does not exist, fails at plan, as in a fleet.
func TestAccVM_planChecksPlacement(t *testing.T) {
	dir := testDir(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				Config: vmConfig(dir, `template = { image = "u" }`+"\n  cpu = 1\n  memory_gb = 5000"), PlanOnly: true,
				ExpectError: regexp.MustCompile(`No host can take the VM`),
			},
			{
				Config: vmConfig(dir, `template = { image = "u" }`+"\n  cpu = 1\n  memory_gb = 1\n  host = \"hv-99\""), PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)No host can take the VM.*hv-99`),
			},
		},
	})
}

// TestAccFleet_plannedVMs: a cpu change to one VM leaves every other VM's
// values known in the plan, and that VM's id, name and host too.
func TestAccFleet_plannedVMs(t *testing.T) {
	dir := testDir(t)
	body := func(cpu int) string {
		return fmt.Sprintf(`template  = { image = "u" }
  cpu       = 1
  memory_gb = 1
  instances = {
    a = {}
    b = { cpu = %d }
  }`, cpu)
	}
	vm := func(key, attr string) tfjsonpath.Path { return tfjsonpath.New("vms").AtMapKey(key).AtMapKey(attr) }
	known := func(key, attr string) plancheck.PlanCheck {
		return plancheck.ExpectKnownValue(fleetAddr, vm(key, attr), knownvalue.NotNull())
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{Config: fleetConfig(dir, body(1))},
			{
				Config: fleetConfig(dir, body(2)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changesAre(`fleet.web["b"]`, "update"),
					known("a", "id"), known("a", "ip_address"), known("b", "id"), known("b", "name"), known("b", "host"),
				}},
			},
		},
	})
}
