package vsphere

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/internal/vcsim"
)

// TestUtilization sets quick statistics on the simulator's VMs (it has
// none of its own) and reads them back through the driver: MHz become
// cores at each host's MHz per core, consumed memory is preferred to
// active guest memory, and a VM that is powered off or has no statistics
// is left out rather than reported idle.
func TestUtilization(t *testing.T) {
	s := startSim(t, vcsim.Options{VMs: 2}) // two powered-off unmanaged VMs, never listed
	d := openDriver(t, simConfig(s))
	ctx := context.Background()
	h0, h1 := vcsim.HostName(0), vcsim.HostName(1)
	if err := s.SetHostCPUMHz(h0, 2000); err != nil {
		t.Fatal(err)
	}
	if err := s.SetHostCPUMHz(h1, 3000); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		host  string
		power driver.Power
		stats types.VirtualMachineQuickStats
		want  *driver.Usage // nil: left out
	}{
		{"busy", h0, driver.PowerRunning, types.VirtualMachineQuickStats{OverallCpuUsage: 3000, HostMemoryUsage: 900, GuestMemoryUsage: 400}, &driver.Usage{CPU: 1.5, MemoryMiB: 900}},
		{"other-mhz", h1, driver.PowerRunning, types.VirtualMachineQuickStats{OverallCpuUsage: 3000, HostMemoryUsage: 512}, &driver.Usage{CPU: 1, MemoryMiB: 512}},
		{"guest-only", h1, driver.PowerRunning, types.VirtualMachineQuickStats{OverallCpuUsage: 750, GuestMemoryUsage: 256}, &driver.Usage{CPU: 0.25, MemoryMiB: 256}},
		{"idle", h0, driver.PowerRunning, types.VirtualMachineQuickStats{HostMemoryUsage: 128}, &driver.Usage{CPU: 0, MemoryMiB: 128}},
		{"no-stats", h0, driver.PowerRunning, types.VirtualMachineQuickStats{}, nil},
		{"off", h1, driver.PowerStopped, types.VirtualMachineQuickStats{OverallCpuUsage: 2000, HostMemoryUsage: 700}, nil},
	}
	want := map[string]driver.Usage{}
	for _, c := range cases {
		spec := testSpec(c.name)
		spec.Host, spec.Power = c.host, c.power
		vm, err := d.Create(ctx, spec)
		if err != nil {
			t.Fatalf("creating %s: %v", c.name, err)
		}
		if err := s.SetQuickStats(c.name, c.stats); err != nil {
			t.Fatal(err)
		}
		if c.want != nil {
			want[vm.ID] = *c.want
		}
	}
	got, err := d.Utilization(ctx)
	if err != nil {
		t.Fatalf("Utilization: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Utilization (-want +got):\n%s", diff)
	}
}

// TestUtilizationFollowsMigration: after a vMotion a VM's cores are
// counted at its new host's MHz per core, read again in the same retrieve.
func TestUtilizationFollowsMigration(t *testing.T) {
	s := startSim(t, vcsim.Options{})
	d := openDriver(t, simConfig(s))
	ctx := context.Background()
	h0, h1 := vcsim.HostName(0), vcsim.HostName(1)
	for host, mhz := range map[string]int32{h0: 1000, h1: 4000} {
		if err := s.SetHostCPUMHz(host, mhz); err != nil {
			t.Fatal(err)
		}
	}
	spec := testSpec("mover")
	spec.Host = h0
	vm, err := d.Create(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetQuickStats("mover", types.VirtualMachineQuickStats{OverallCpuUsage: 2000, HostMemoryUsage: 600}); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		host  string
		cores float64
	}{{h0, 2}, {h1, 0.5}} {
		if step.host != h0 {
			if err := d.Migrate(ctx, vm.ID, step.host, true); err != nil {
				t.Fatalf("migrating to %s: %v", step.host, err)
			}
		}
		got, err := d.Utilization(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if u, ok := got[vm.ID]; !ok || u.CPU != step.cores || u.MemoryMiB != 600 {
			t.Errorf("on %s: Utilization gives %+v (listed %v); want %g cores, 600 MiB", step.host, u, ok, step.cores)
		}
	}
}
