package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/novacron/novacron/engine/driver"
)

// The libvirt acceptance tests run the provider against libvirt's test
// hypervisor through the real libvirtd (scripts/libvirt-up.sh, run by
// `make test`, starts it). Each test gets a private test host from a node
// file (test:///PATH/node.xml) with a storage pool and two base volumes, so
// it shares no state with the libvirt package's own tests on
// test:///default, which `go test ./...` runs at the same time. The host
// lives as long as the driver's one connection: the whole test, since every
// terraform command of a test runs in this process and shares the driver.

const libvirtSocket = "/run/libvirt/libvirt-sock"

const libvirtNode = `<node>
  <cpu>
    <nodes>1</nodes><sockets>1</sockets><cores>8</cores><threads>1</threads>
    <active>8</active><mhz>2000</mhz><model>x86_64</model>
  </cpu>
  <memory>16777216</memory>
  <pool type='dir'>
    <name>default-pool</name>
    <uuid>dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566</uuid>
    <capacity unit='GiB'>100</capacity><allocation unit='GiB'>0</allocation><available unit='GiB'>100</available>
    <target><path>/default-pool</path></target>
    <volume type='file'><name>base.qcow2</name><capacity unit='GiB'>1</capacity><target><format type='qcow2'/></target></volume>
    <volume type='file'><name>base2.qcow2</name><capacity unit='GiB'>1</capacity><target><format type='qcow2'/></target></volume>
  </pool>
</node>
`

// libvirtBackend writes a private test host and returns the data folder
// and a provider block with backend "rack1" on it.
func libvirtBackend(t *testing.T) (string, string) {
	t.Helper()
	if _, err := os.Stat(libvirtSocket); err != nil {
		t.Fatalf("libvirtd is not running (%v): start it with scripts/libvirt-up.sh, which `make test` runs", err)
	}
	dir := testDir(t)
	node := filepath.Join(dir, "node.xml")
	if err := os.WriteFile(node, []byte(libvirtNode), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, fmt.Sprintf(`
provider "novacron" {
  data_dir = %q
  libvirt {
    name             = "rack1"
    uri              = "test://%s"
    pool             = "default-pool"
    domain_type      = "qemu"
    shutdown_timeout = "5s"
  }
}
`, dir, node)
}

// TestAccLibvirtVM: novacron_vm on libvirt: create, update in place, stop,
// replace (template), import, drift, destroy.
func TestAccLibvirtVM(t *testing.T) {
	dir, provider := libvirtBackend(t)
	var lineage string
	vm := func(volume string, cpu int, power string) string {
		return provider + fmt.Sprintf(`
resource "novacron_vm" "db" {
  backend   = "rack1"
  name      = "tfacc-db"
  template  = { volume = %q }
  cpu       = %d
  memory_gb = 0.5
  disk_gb   = 2
  power     = %q
  tags      = { tier = "db" }
}
`, volume, cpu, power)
	}
	live := func(ok func(driver.VM) bool) resource.TestCheckFunc {
		return checkLiveOn(t, dir, "libvirt.rack1", "tfacc-db", ok)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             checkNoVMs(dir, "libvirt.rack1"),
		Steps: []resource.TestStep{
			{
				Config: vm("base.qcow2", 1, "running"),
				Check: live(func(vm driver.VM) bool {
					return vm.CPU == 1 && vm.MemoryMiB == 512 && vm.Power == driver.PowerRunning && vm.Marker != nil && vm.Tags["tier"] == "db"
				}),
			},
			{
				Config:           vm("base.qcow2", 2, "running"),
				ConfigPlanChecks: updateInPlace(vmAddr),
				Check:            live(func(vm driver.VM) bool { return vm.CPU == 2 }),
			},
			{
				Config:           vm("base.qcow2", 2, "stopped"),
				ConfigPlanChecks: updateInPlace(vmAddr),
				Check:            live(func(vm driver.VM) bool { return vm.Power == driver.PowerStopped }),
			},
			{
				Config: vm("base2.qcow2", 2, "stopped"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(vmAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(lineageOf(vmAddr, &lineage),
					live(func(vm driver.VM) bool { return vm.Template == `volume="base2.qcow2"` })),
			},
			{
				ResourceName: vmAddr, ImportState: true, ImportStateIdFunc: ownImportID(vmAddr, "rack1", "tfacc-db"),
				ImportStateVerify: true, ImportStateVerifyIgnore: []string{"timeouts", "lineage", "template_id"},
			},
			{
				PreConfig: func() {
					undoImports(t, dir, "libvirt.rack1", &lineage, "tfacc-db")()
					resizeOutOfBand(t, dir, "libvirt.rack1", "tfacc-db", 1)
				},
				Config: vm("base2.qcow2", 2, "stopped"), PlanOnly: true, ExpectNonEmptyPlan: true,
			},
			{
				Config:           vm("base2.qcow2", 2, "stopped"),
				ConfigPlanChecks: updateInPlace(vmAddr),
				Check:            live(func(vm driver.VM) bool { return vm.CPU == 2 }),
			},
		},
	})
}

// TestAccLibvirtFleet: novacron_fleet on libvirt with a rolling update,
// and both data sources.
func TestAccLibvirtFleet(t *testing.T) {
	dir, provider := libvirtBackend(t)
	var lineage string
	fleet := func(count, cpu int) string {
		return provider + fmt.Sprintf(`
resource "novacron_fleet" "web" {
  backend        = "rack1"
  name           = "web"
  instance_count = %d
  name_pattern   = "tfacc-{fleet}-{index}"
  template       = { volume = "base.qcow2" }
  cpu            = %d
  memory_gb      = 0.25
  disk_gb        = 2
  rollout {
    batch_size = 2
  }
}
data "novacron_inventory" "web" {
  backend    = "rack1"
  name_regex = "^tfacc-web-"
  depends_on = [novacron_fleet.web]
}
data "novacron_hosts" "rack1" {
  backend    = "rack1"
  depends_on = [novacron_fleet.web]
}
`, count, cpu)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				Config: fleet(4, 1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(fleetAddr, tfjsonpath.New("vms"), knownvalue.MapSizeExact(4)),
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("vms"), vmNames("tfacc-web-0", "tfacc-web-1", "tfacc-web-2", "tfacc-web-3")),
					statecheck.ExpectKnownValue("data.novacron_hosts.rack1", tfjsonpath.New("hosts").AtSliceIndex(0).AtMapKey("vm_count"), knownvalue.Int64Exact(4)),
				},
			},
			{
				Config: fleet(4, 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(fleetAddr, plancheck.ResourceActionUpdate),
					changesAre("fleet.web[0]", "update", "fleet.web[1]", "update", "fleet.web[2]", "update", "fleet.web[3]", "update"),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(fleetAddr, "last_apply.#", "2"),
					checkLiveOn(t, dir, "libvirt.rack1", "tfacc-web-3", func(vm driver.VM) bool { return vm.CPU == 2 }),
					checkBatchTimes, lineageOf(fleetAddr, &lineage),
				),
			},
			{
				ResourceName: fleetAddr, ImportState: true, ImportStateIdFunc: ownImportID(fleetAddr, "rack1", "web"),
				ImportStateVerify: true, ImportStateVerifyIgnore: []string{"changes", "last_apply", "timeouts", "rollout", "lineage"},
			},
			{
				PreConfig: undoImports(t, dir, "libvirt.rack1", &lineage, "tfacc-web-0", "tfacc-web-1", "tfacc-web-2", "tfacc-web-3"),
				Config:    fleet(2, 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changesAre("fleet.web[2]", "delete", "fleet.web[3]", "delete"),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("vms"), vmNames("tfacc-web-0", "tfacc-web-1")),
				},
			},
		},
	})
}

func checkLiveOn(t *testing.T, dir, key, name string, ok func(driver.VM) bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if vm := liveVM(t, dir, key, name); !ok(vm) {
			return fmt.Errorf("VM %s is not as expected: %+v", name, vm)
		}
		return nil
	}
}
