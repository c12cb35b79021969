package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/novacron/novacron/engine/driver"
)

const hostsAddr = "data.novacron_hosts.lab"

func hostsConfig(dir string, hosts int, extra string) string {
	return providerBlock(dir, fmt.Sprintf("hosts = %d", hosts), "host_cpu = 8", "host_memory_gb = 16") + extra + `
data "novacron_hosts" "lab" {
  backend = "lab"
}
`
}

func host(name string, usedCPU int64, freeMemGB float64) knownvalue.Check {
	return knownvalue.ObjectPartial(map[string]knownvalue.Check{
		"name": knownvalue.StringExact(name), "cpu": knownvalue.Int64Exact(8),
		"used_cpu": knownvalue.Int64Exact(usedCPU), "free_cpu": knownvalue.Int64Exact(8 - usedCPU),
		"free_memory_gb": knownvalue.Float64Exact(freeMemGB),
	})
}

// TestAccHosts: capacity of an empty backend; usage after a VM is made;
// drift (a VM made out of band) on the next read; a host added by
// changing the backend; the data source removed.
func TestAccHosts(t *testing.T) {
	dir := testDir(t)
	vm := `
resource "novacron_vm" "db" {
  backend   = "lab"
  name      = "db-01"
  template  = { image = "u" }
  cpu       = 4
  memory_gb = 6
  host      = "hv-02"
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				Config: hostsConfig(dir, 2, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(hostsAddr, tfjsonpath.New("hosts"), knownvalue.ListExact([]knownvalue.Check{host("hv-01", 0, 16), host("hv-02", 0, 16)})),
				},
			},
			{
				Config: hostsConfig(dir, 2, vm),
				Check:  resource.TestCheckResourceAttr(hostsAddr, "hosts.1.used_cpu", "0"), // read before the VM was made
			},
			{ // read again: the VM is there, and one made out of band too
				PreConfig: func() {
					if _, err := pooledDriver(t, dir, "sim.lab").Create(context.Background(), driver.VMSpec{Name: "stray", Host: "hv-01", CPU: 2, MemoryMiB: 1024,
						Power: driver.PowerRunning, Template: driver.TemplateRef{Config: driver.Config{"image": "x"}}}); err != nil {
						t.Fatal(err)
					}
				},
				Config: hostsConfig(dir, 2, vm),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(hostsAddr, tfjsonpath.New("hosts"), knownvalue.ListExact([]knownvalue.Check{host("hv-01", 2, 15), host("hv-02", 4, 10)})),
				},
			},
			{
				Config: hostsConfig(dir, 3, vm),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(hostsAddr, tfjsonpath.New("hosts"), knownvalue.ListSizeExact(3)),
				},
			},
			{Config: providerBlock(dir, "hosts = 3", "host_cpu = 8", "host_memory_gb = 16") + vm},
		},
	})
}

func TestHostUsage(t *testing.T) {
	inv := driver.Inventory{
		Hosts: []driver.Host{{Name: "a", CPU: 8, MemoryMiB: 8192}, {Name: "b", CPU: 4, MemoryMiB: 4096}},
		VMs: []driver.VM{
			{Name: "x", Host: "a", CPU: 2, MemoryMiB: 1024},
			{Name: "y", Host: "a", CPU: 1, MemoryMiB: 512, Power: driver.PowerStopped},
			{Name: "z", Host: "gone", CPU: 9, MemoryMiB: 9}, // on no known host: counted nowhere
		},
	}
	type row struct {
		Name             string
		N, Used, Free    int64
		UsedMem, FreeMem float64
	}
	var got []row
	for _, h := range hostUsage(inv) {
		got = append(got, row{h.Name.ValueString(), h.VMCount.ValueInt64(), h.UsedCPU.ValueInt64(), h.FreeCPU.ValueInt64(),
			h.UsedMemoryGB.ValueFloat64(), h.FreeMemoryGB.ValueFloat64()})
	}
	want := []row{{"a", 2, 3, 5, 1.5, 6.5}, {"b", 0, 0, 4, 0, 4}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("host usage (-want +got):\n%s", d)
	}
}
