package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/novacron/novacron/engine/driver"
)

// takeOver rewrites VM name's marker as another configuration's import
// naming this resource's lineage does (adopt): the same address, the
// taker's lineage.
func takeOver(t *testing.T, dir, name, address, lineage string) {
	t.Helper()
	vm := liveVM(t, dir, "sim.lab", name)
	m := &driver.Marker{Address: address, Lineage: lineage, SpecHash: "x"}
	if _, err := pooledDriver(t, dir, "sim.lab").Update(context.Background(), vm.ID, driver.Changes{Marker: m}); err != nil {
		t.Fatal(err)
	}
}

var takenErr = regexp.MustCompile(`(?s)VM taken over by another owner.*terraform:novacron_vm:db-01:taker.*terraform state rm`)

// TestAccVM_takenOver: once another configuration took the VM over (its
// marker names the taker's lineage at the same address), the former owner
// neither changes it nor deletes it: a change is refused at plan, and the
// destroy forgets the VM, which stays with its new owner.
func TestAccVM_takenOver(t *testing.T) {
	dir := testDir(t)
	const taker = "terraform:novacron_vm:db-01:taker"
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				Config: vmConfig(dir, vmBase),
				Check:  func(*terraform.State) error { id = liveVM(t, dir, "sim.lab", "db-01").ID; return nil },
			},
			{
				PreConfig:   func() { takeOver(t, dir, "db-01", "vm.db-01", taker) },
				Config:      vmConfig(dir, vmBigger),
				ExpectError: takenErr,
			},
			{
				Config:      vmConfig(dir, vmBigger),
				PlanOnly:    true,
				ExpectError: takenErr,
			},
			{ // the destroy forgets it
				Config: providerBlock(dir, "hosts = 3") + `data "novacron_hosts" "open" { backend = "lab" }`,
				Check: func(*terraform.State) error {
					vm, ok := liveVMs(t, dir, "sim.lab")["db-01"]
					return expect(ok && vm.ID == id && vm.CPU == 2 && vm.Marker.Lineage == taker, "the VM taken over, after the former owner's destroy", vm)
				},
			},
		},
	})
}

// TestAccFleet_takenOver: the same for one VM of a fleet: the fleet's
// change to it is refused, and the fleet's destroy deletes its other VMs
// and forgets that one.
func TestAccFleet_takenOver(t *testing.T) {
	dir := testDir(t)
	const taker = "terraform:novacron_fleet:web:taker"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{Config: fleetConfig(dir, fleetBody(2, 1, "ubuntu-22.04"))},
			{
				PreConfig:   func() { takeOver(t, dir, "web-1", "fleet.web[1]", taker) },
				Config:      fleetConfig(dir, fleetBody(2, 2, "ubuntu-22.04")),
				ExpectError: regexp.MustCompile(`(?s)VM taken over by another owner.*web-1.*` + taker),
			},
			{
				Config: providerBlock(dir, "hosts = 3") + `data "novacron_hosts" "open" { backend = "lab" }`,
				Check: func(*terraform.State) error {
					vms := liveVMs(t, dir, "sim.lab")
					return expect(len(vms) == 1 && vms["web-1"].CPU == 1 && vms["web-1"].Marker.Lineage == taker,
						"the VMs after the fleet's destroy", vms)
				},
			},
		},
	})
}

// importBlock imports VM db-01 into novacron_vm.NAME by a plain ID.
func importBlock(name string) string {
	return fmt.Sprintf("\nimport {\n  to = novacron_vm.%s\n  id = \"lab/db-01\"\n}\n", name)
}

// TestAccVM_importMarksAnUnownedVM: importing a VM that carries no marker
// (made outside NovaCron) gives it the resource's marker on the apply, so
// a second import of it, by another resource or configuration, is refused
// and names the lineage to use: two owners never manage one VM.
func TestAccVM_importMarksAnUnownedVM(t *testing.T) {
	dir := testDir(t)
	second := `
resource "novacron_vm" "other" {
  backend = "lab"
  name    = "db-01"
  ` + vmBase + `
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             checkNoVMs(dir, "sim.lab"),
		Steps: []resource.TestStep{
			{Config: providerBlock(dir, "hosts = 3") + `data "novacron_hosts" "open" { backend = "lab" }`},
			{
				PreConfig: func() {
					_, err := pooledDriver(t, dir, "sim.lab").Create(context.Background(), driver.VMSpec{
						Name: "db-01", CPU: 2, MemoryMiB: 4096, DiskGB: 20, Power: driver.PowerRunning,
						Template: driver.TemplateRef{Config: driver.Config{"image": "ubuntu-22.04"}}, Tags: map[string]string{"tier": "db"},
					})
					if err != nil {
						t.Fatal(err)
					}
				},
				Config: vmConfig(dir, vmBase) + importBlock("db"),
				Check:  markedAs(t, dir, vmAddr, map[string]string{"db-01": "vm.db-01"}, nil),
			},
			{
				Config:      vmConfig(dir, vmBase) + second + importBlock("other"),
				ExpectError: regexp.MustCompile(`(?s)VM owned elsewhere.*lab/db-01@terraform:novacron_vm:db-01:`),
			},
			{
				Config:           vmConfig(dir, vmBase),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            markedAs(t, dir, vmAddr, map[string]string{"db-01": "vm.db-01"}, nil),
			},
		},
	})
}
