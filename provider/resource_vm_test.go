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

const vmAddr = "novacron_vm.db"

// digestRe is a template_id: the engine's digest, never the template's
// values (an ID holds setting=value, values quoted).
var digestRe = regexp.MustCompile(`^sensitive:[A-Za-z0-9_$=,;+/-]{16,}$`)

// vmConfig is one novacron_vm on the sim backend "lab"; body holds the
// attributes after backend and name.
func vmConfig(dir, body string) string {
	return providerBlock(dir, "hosts = 3") + fmt.Sprintf(`
resource "novacron_vm" "db" {
  backend = "lab"
  name    = "db-01"
  %s
}
`, body)
}

const (
	vmBase    = `template = { image = "ubuntu-22.04" }` + "\n  cpu = 2\n  memory_gb = 4\n  tags = { tier = \"db\" }"
	vmBigger  = `template = { image = "ubuntu-22.04" }` + "\n  cpu = 4\n  memory_gb = 8\n  disk_gb = 40\n  power = \"stopped\"\n  tags = { tier = \"db\", env = \"prod\" }"
	vmPinned  = `template = { image = "ubuntu-22.04" }` + "\n  cpu = 4\n  memory_gb = 8\n  disk_gb = 40\n  power = \"stopped\"\n  host = \"hv-03\"\n  tags = { tier = \"db\", env = \"prod\" }"
	vmNewTmpl = `template = { image = "ubuntu-24.04" }` + "\n  cpu = 4\n  memory_gb = 8\n  disk_gb = 40\n  host = \"hv-03\"\n  tags = { tier = \"db\", env = \"prod\" }"
)

// TestAccVM_lifecycle: create, update in place (size, disk, tags, power),
// migrate (host), replace (template), import (command and import block),
// drift, a VM deleted out of band, destroy.
func TestAccVM_lifecycle(t *testing.T) {
	dir := testDir(t)
	sameID, tmplID := statecheck.CompareValue(compare.ValuesSame()), statecheck.CompareValue(compare.ValuesDiffer())
	var lineage string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             checkNoVMs(dir, "sim.lab"),
		Steps: []resource.TestStep{
			{
				Config: vmConfig(dir, vmBase),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(vmAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(vmAddr, tfjsonpath.New("ip_addresses"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue(vmAddr, tfjsonpath.New("template_id"), knownvalue.StringRegexp(digestRe)),
					tmplID.AddStateValue(vmAddr, tfjsonpath.New("template_id")),
					statecheck.ExpectKnownValue(vmAddr, tfjsonpath.New("disk_gb"), knownvalue.Int64Exact(20)),
				},
				Check: checkLive(t, dir, func(vm driver.VM) error {
					return expect(vm.CPU == 2 && vm.MemoryMiB == 4096 && vm.Power == driver.PowerRunning && vm.Tags["tier"] == "db" &&
						vm.Marker != nil && vm.Marker.Address == "vm.db-01", "created VM", vm)
				}),
			},
			{
				Config:           vmConfig(dir, vmBigger),
				ConfigPlanChecks: updateInPlace(vmAddr),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(vmAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(vmAddr, tfjsonpath.New("ip_addresses"), knownvalue.ListSizeExact(0)),
				},
				Check: checkLive(t, dir, func(vm driver.VM) error {
					return expect(vm.CPU == 4 && vm.MemoryMiB == 8192 && vm.DiskGB == 40 && vm.Power == driver.PowerStopped && vm.Tags["env"] == "prod", "updated VM", vm)
				}),
			},
			{
				Config:            vmConfig(dir, vmPinned),
				ConfigPlanChecks:  updateInPlace(vmAddr),
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(vmAddr, tfjsonpath.New("id"))},
				Check:             checkLive(t, dir, func(vm driver.VM) error { return expect(vm.Host == "hv-03", "migrated VM", vm) }),
			},
			{
				Config: vmConfig(dir, vmNewTmpl),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(vmAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(vmAddr, tfjsonpath.New("template_id"), knownvalue.StringRegexp(digestRe)),
					tmplID.AddStateValue(vmAddr, tfjsonpath.New("template_id")),
					statecheck.ExpectKnownValue(vmAddr, tfjsonpath.New("power"), knownvalue.StringExact("running")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(lineageOf(vmAddr, &lineage), checkLive(t, dir, func(vm driver.VM) error {
					return expect(vm.Template == `image="ubuntu-24.04"` && vm.Host == "hv-03", "replaced VM", vm)
				})),
			},
			{
				ResourceName: vmAddr, ImportState: true, ImportStateIdFunc: ownImportID(vmAddr, "lab", "db-01"),
				ImportStateVerify: true, ImportStateVerifyIgnore: []string{"timeouts", "lineage", "template_id"},
			},
			{
				ResourceName: vmAddr, ImportState: true, ImportStateIdFunc: ownImportID(vmAddr, "lab", "db-01"),
				ImportStateKind: resource.ImportBlockWithID,
			},
			{ // drift: the VM is resized behind Terraform's back
				PreConfig: func() {
					undoImports(t, dir, "sim.lab", &lineage, "db-01")()
					resizeOutOfBand(t, dir, "sim.lab", "db-01", 8)
				},
				Config: vmConfig(dir, vmNewTmpl), PlanOnly: true, ExpectNonEmptyPlan: true,
			},
			{ // and the next apply puts it back, in place
				Config:           vmConfig(dir, vmNewTmpl),
				ConfigPlanChecks: updateInPlace(vmAddr),
				Check:            checkLive(t, dir, func(vm driver.VM) error { return expect(vm.CPU == 4, "VM after drift", vm) }),
			},
			{ // a VM deleted out of band is created again
				PreConfig: func() { deleteOutOfBand(t, dir, "sim.lab", "db-01") },
				Config:    vmConfig(dir, vmNewTmpl),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(vmAddr, plancheck.ResourceActionCreate),
				}},
				Check: checkLive(t, dir, func(vm driver.VM) error { return expect(vm.CPU == 4, "re-created VM", vm) }),
			},
		},
	})
}

// TestAccVM_leftByAStoppedCreate: a VM that carries a novacron_vm marker of
// a lineage no state holds is never adopted silently: the apply stops
// before creating anything (the plan takes a novacron_vm VM of the same
// name for a replaced object's, and warns), with the import that takes it;
// after it the VM is managed, not made twice.
func TestAccVM_leftByAStoppedCreate(t *testing.T) {
	dir := testDir(t)
	const lost = "terraform:novacron_vm:db-01:5e1f00d"
	var leftID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{Config: providerBlock(dir, "hosts = 3") + `data "novacron_hosts" "open" { backend = "lab" }`},
			{
				PreConfig: func() {
					vm, err := pooledDriver(t, dir, "sim.lab").Create(context.Background(), driver.VMSpec{
						Name: "db-01", CPU: 2, MemoryMiB: 4096, DiskGB: 20, Power: driver.PowerRunning,
						Template: driver.TemplateRef{Name: "u", Config: driver.Config{"image": "ubuntu-22.04"}},
						Tags:     map[string]string{"tier": "db"},
						Marker:   driver.Marker{Address: vmAddress("db-01"), Lineage: lost, SpecHash: "crashed"},
					})
					if err != nil {
						t.Fatal(err)
					}
					leftID = vm.ID
				},
				Config:      vmConfig(dir, vmBase),
				ExpectError: regexp.MustCompile(`(?s)VM name already in use.*terraform\s+import\s+ADDRESS\s+'lab/db-01@` + lost + `'`),
			},
			{
				Config: vmConfig(dir, vmBase), ResourceName: vmAddr,
				ImportState: true, ImportStateId: "lab/db-01@" + lost, ImportStatePersist: true,
			},
			{
				Config:           vmConfig(dir, vmBase),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: func(s *terraform.State) error {
					if got := s.RootModule().Resources[vmAddr].Primary.ID; got != leftID {
						return fmt.Errorf("state records VM %s, want the imported VM %s", got, leftID)
					}
					if n := len(liveVMs(t, dir, "sim.lab")); n != 1 {
						return fmt.Errorf("the backend has %d VMs, want 1: the VM was created twice", n)
					}
					return nil
				},
			},
		},
	})
}

// TestAccVM_nameConflict: an unmarked VM of the same name is a plan error
// that suggests importing it.
func TestAccVM_nameConflict(t *testing.T) {
	dir := testDir(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{Config: providerBlock(dir, "hosts = 3") + `data "novacron_hosts" "open" { backend = "lab" }`},
			{
				PreConfig: func() {
					_, err := pooledDriver(t, dir, "sim.lab").Create(context.Background(), driver.VMSpec{
						Name: "db-01", CPU: 1, MemoryMiB: 1024, Power: driver.PowerRunning,
						Template: driver.TemplateRef{Config: driver.Config{"image": "x"}},
					})
					if err != nil {
						t.Fatal(err)
					}
				},
				Config:      vmConfig(dir, vmBase),
				ExpectError: regexp.MustCompile(`VM name already in use`),
			},
		},
	})
}

// TestAccVM_invalidConfig: validators reject bad values at plan time.
func TestAccVM_invalidConfig(t *testing.T) {
	dir := testDir(t)
	cases := map[string]struct{ body, want string }{
		"cpu range":        {`template = { image = "u" }` + "\n cpu = 0\n memory_gb = 1", `cpu must be between 1 and 768; got 0`},
		"memory in MiB":    {`template = { image = "u" }` + "\n cpu = 1\n memory_gb = 0.0001", `whole number of MiB`},
		"power enum":       {`template = { image = "u" }` + "\n cpu = 1\n memory_gb = 1\n power = \"paused\"", `value must be one of`},
		"reserved tag":     {`template = { image = "u" }` + "\n cpu = 1\n memory_gb = 1\n tags = { \"novacron:x\" = \"y\" }", `reserved for the ownership marker`},
		"template setting": {`template = { iso = "u" }` + "\n cpu = 1\n memory_gb = 1", `The template has no setting "iso"`},
		"unknown backend":  {`template = { image = "u" }` + "\n cpu = 1\n memory_gb = 1", `no backend named "nope"`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := vmConfig(dir, tc.body)
			if name == "unknown backend" {
				cfg = regexp.MustCompile(`backend = "lab"`).ReplaceAllString(cfg, `backend = "nope"`)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps:                    []resource.TestStep{{Config: cfg, ExpectError: regexp.MustCompile(tc.want)}},
			})
		})
	}
}

func updateInPlace(addr string) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}}
}

// checkLive checks the live VM db-01 of the sim backend.
func checkLive(t *testing.T, dir string, check func(driver.VM) error) resource.TestCheckFunc {
	return func(*terraform.State) error { return check(liveVM(t, dir, "sim.lab", "db-01")) }
}

func expect(ok bool, what string, v any) error {
	if !ok {
		return fmt.Errorf("%s is not as expected: %+v", what, v)
	}
	return nil
}

func checkNoVMs(dir, key string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		drivers.mu.Lock()
		e := drivers.open[dir+"\x00"+key]
		drivers.mu.Unlock()
		if e == nil {
			return fmt.Errorf("backend %s was never opened", key)
		}
		inv, err := e.d.Inventory(context.Background())
		if err != nil {
			return err
		}
		if len(inv.VMs) != 0 {
			return fmt.Errorf("%d VM(s) left after destroy, e.g. %s", len(inv.VMs), inv.VMs[0].Name)
		}
		return nil
	}
}

func resizeOutOfBand(t *testing.T, dir, key, name string, cpu int) {
	t.Helper()
	vm := liveVM(t, dir, key, name)
	if _, err := pooledDriver(t, dir, key).Update(context.Background(), vm.ID, driver.Changes{CPU: &cpu, Restart: true}); err != nil {
		t.Fatal(err)
	}
}

func deleteOutOfBand(t *testing.T, dir, key, name string) {
	t.Helper()
	vm := liveVM(t, dir, key, name)
	if err := pooledDriver(t, dir, key).Delete(context.Background(), vm.ID); err != nil {
		t.Fatal(err)
	}
}
