package sim

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
)

// smallCluster is two hosts of 8 vCPU and 32 GiB; hv-02 holds vm-000001
// (6 vCPU, 24 GiB, stopped: stopped VMs use capacity too) and hv-01 holds
// vm-000002 (4 vCPU, 16 GiB).
func smallCluster(t *testing.T) *Driver {
	t.Helper()
	d := open(t, t.TempDir(), driver.Config{"hosts": int64(2), "host_cpu": int64(8), "host_memory_gb": float64(32)})
	big := spec("big", "hv-02")
	big.CPU, big.MemoryMiB, big.Power = 6, 24<<10, driver.PowerStopped
	mustCreate(t, d, big)
	mid := spec("mid", "hv-01")
	mid.CPU, mid.MemoryMiB = 4, 16<<10
	mustCreate(t, d, mid)
	return d
}

func TestCapacity(t *testing.T) {
	sized := func(host string, cpu int, gib int64) driver.VMSpec {
		s := spec("new", host)
		s.CPU, s.MemoryMiB = cpu, gib<<10
		return s
	}
	create := func(s driver.VMSpec) func(*Driver) error {
		return func(d *Driver) error { _, err := d.Create(context.Background(), s); return err }
	}
	tests := []struct {
		name string
		op   func(*Driver) error
		kind driver.Kind
		msg  string
	}{
		{
			name: "create on a full host",
			op:   create(sized("hv-02", 4, 16)),
			kind: driver.KindCapacity,
			msg:  "insufficient capacity on hv-02: needs 4 vCPU and 16 GiB, has 2 vCPU and 8 GiB free",
		},
		{
			name: "create with fractional memory",
			op:   create(driver.VMSpec{Name: "x", Host: "hv-02", CPU: 1, MemoryMiB: 9000, Template: testTemplate}),
			kind: driver.KindCapacity,
			msg:  "insufficient capacity on hv-02: needs 1 vCPU and 8.79 GiB, has 2 vCPU and 8 GiB free",
		},
		{
			name: "create with no host big enough",
			op:   create(sized("", 5, 1)),
			kind: driver.KindCapacity,
			msg:  "insufficient capacity on every host: needs 5 vCPU and 1 GiB, the roomiest host hv-01 has 4 vCPU and 16 GiB free",
		},
		{
			name: "create on an unknown host",
			op:   create(sized("hv-09", 1, 1)),
			kind: driver.KindPermanent,
			msg:  `unknown host "hv-09": the simulated cluster has hosts hv-01, hv-02`,
		},
		{
			name: "grow beyond the host",
			op: func(d *Driver) error {
				_, err := d.Update(context.Background(), "vm-000001", driver.Changes{CPU: new(9), MemoryMiB: new(int64(20 << 10))})
				return err
			},
			kind: driver.KindCapacity,
			msg:  "insufficient capacity on hv-02 to grow vm-000001: needs 3 more vCPU and 0 more GiB, has 2 vCPU and 8 GiB free",
		},
		{
			name: "migrate onto a full host",
			op:   func(d *Driver) error { return d.Migrate(context.Background(), "vm-000002", "hv-02", true) },
			kind: driver.KindCapacity,
			msg:  "insufficient capacity on hv-02: needs 4 vCPU and 16 GiB, has 2 vCPU and 8 GiB free",
		},
		{
			name: "migrate to an unknown host",
			op:   func(d *Driver) error { return d.Migrate(context.Background(), "vm-000002", "hv-09", false) },
			kind: driver.KindPermanent,
			msg:  `unknown host "hv-09": the simulated cluster has hosts hv-01, hv-02`,
		},
		{
			name: "migrate to its own host",
			op:   func(d *Driver) error { return d.Migrate(context.Background(), "vm-000002", "hv-01", true) },
			kind: driver.KindPermanent,
			msg:  "cannot migrate vm-000002 to hv-01: it is already there",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := smallCluster(t)
			before := mustInventory(t, d)
			err := tt.op(d)
			if err == nil {
				t.Fatal("succeeded, want an error")
			}
			if got := driver.KindOf(err); got != tt.kind {
				t.Errorf("kind = %v, want %v", got, tt.kind)
			}
			if diff := cmp.Diff(tt.msg, err.Error()); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, mustInventory(t, d)); diff != "" {
				t.Errorf("a refused operation changed the inventory (-before +after):\n%s", diff)
			}
		})
	}
}

func TestCapacityErrorMatchesSentinel(t *testing.T) {
	d := smallCluster(t)
	_, err := d.Create(context.Background(), spec("x", "hv-02"))
	if err != nil {
		t.Fatalf("1 vCPU should still fit on hv-02: %v", err)
	}
	s := spec("y", "hv-02")
	s.CPU = 2
	_, err = d.Create(context.Background(), s)
	if !errors.Is(err, driver.ErrCapacity) || errors.Is(err, driver.ErrPermanent) {
		t.Errorf("Create on a full host: %v, want errors.Is ErrCapacity only", err)
	}
}

func TestCapacityFreedByDeleteAndShrink(t *testing.T) {
	d := smallCluster(t)
	ctx := context.Background()
	if _, err := d.Update(ctx, "vm-000001", driver.Changes{CPU: new(2), MemoryMiB: new(int64(8 << 10))}); err != nil {
		t.Fatalf("lowering cpu and memory of a stopped VM: %v", err)
	}
	if err := d.Migrate(ctx, "vm-000002", "hv-02", true); err != nil {
		t.Fatalf("Migrate after freeing room: %v", err)
	}
	if err := d.Delete(ctx, "vm-000002"); err != nil {
		t.Fatal(err)
	}
	s := spec("z", "hv-02")
	s.CPU, s.MemoryMiB = 6, 8<<10
	if _, err := d.Create(ctx, s); err != nil {
		t.Errorf("Create after Delete freed room: %v", err)
	}
}

func TestBestFit(t *testing.T) {
	d := open(t, t.TempDir(), driver.Config{"hosts": int64(3), "host_cpu": int64(8), "host_memory_gb": float64(32)})
	sized := func(name, host string, cpu int) driver.VMSpec {
		s := spec(name, host)
		s.CPU, s.MemoryMiB = cpu, int64(cpu)<<10
		return s
	}
	mustCreate(t, d, sized("seed", "hv-02", 5))
	var got []string
	for _, s := range []driver.VMSpec{
		sized("a", "", 3), // fills hv-02 exactly
		sized("b", "", 4), // hv-01 and hv-03 tie: the first
		sized("c", "", 4), // hv-01 has 4 left: tighter than hv-03
		sized("d", "", 8), // only hv-03 is empty
	} {
		got = append(got, mustCreate(t, d, s).Host)
	}
	want := []string{"hv-02", "hv-01", "hv-01", "hv-03"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hosts chosen (-want +got):\n%s", diff)
	}
}
