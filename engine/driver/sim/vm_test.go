package sim

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
)

func TestApplyChanges(t *testing.T) {
	running := vmRecord{ID: "vm-000001", CPU: 4, MemoryMiB: 4096, DiskGB: 20, Power: driver.PowerRunning}
	stopped := running
	stopped.Power = driver.PowerStopped
	with := func(vm vmRecord, edit func(*vmRecord)) vmRecord { edit(&vm); return vm }
	tests := []struct {
		name    string
		vm      vmRecord
		ch      driver.Changes
		want    vmRecord
		wantErr string
	}{
		{"grow hot", running, driver.Changes{CPU: new(8), MemoryMiB: new(int64(8192)), DiskGB: new(40)},
			with(running, func(v *vmRecord) { v.CPU, v.MemoryMiB, v.DiskGB = 8, 8192, 40 }), ""},
		{"lower cpu running", running, driver.Changes{CPU: new(2)}, vmRecord{},
			"lowering the vCPUs of running VM vm-000001 from 4 to 2 needs a restart"},
		{"lower memory running", running, driver.Changes{MemoryMiB: new(int64(1024))}, vmRecord{},
			"lowering the memory of running VM vm-000001 from 4096 MiB to 1024 MiB needs a restart"},
		{"lower with restart", running, driver.Changes{CPU: new(2), Restart: true},
			with(running, func(v *vmRecord) { v.CPU = 2 }), ""},
		{"lower stopped", stopped, driver.Changes{CPU: new(2)},
			with(stopped, func(v *vmRecord) { v.CPU = 2 }), ""},
		{"lower while stopping", running, driver.Changes{CPU: new(2), Power: new(driver.PowerStopped)},
			with(stopped, func(v *vmRecord) { v.CPU = 2 }), ""},
		{"lower while starting", stopped, driver.Changes{CPU: new(2), Power: new(driver.PowerRunning)},
			with(running, func(v *vmRecord) { v.CPU = 2 }), ""},
		{"shrink disk", stopped, driver.Changes{DiskGB: new(10), Restart: true}, vmRecord{},
			"cannot shrink the disk of vm-000001 from 20 GB to 10 GB: disks only grow"},
		{"zero cpu", stopped, driver.Changes{CPU: new(0)}, vmRecord{}, "a VM needs at least 1 vCPU, not 0"},
		{"tags and marker", running,
			driver.Changes{Tags: map[string]string{"a": "b"}, Marker: &driver.Marker{Address: "x"}},
			with(running, func(v *vmRecord) { v.Tags, v.Marker = map[string]string{"a": "b"}, &driver.Marker{Address: "x"} }), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := applyChanges(tt.vm, tt.ch)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr || driver.KindOf(err) != driver.KindPermanent {
					t.Fatalf("error %v, want permanent %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestFormatGiB(t *testing.T) {
	for mib, want := range map[int64]string{0: "0", 1024: "1", 16 << 10: "16", 512: "0.5", 1000: "0.98", 1280: "1.25"} {
		if got := formatGiB(mib); got != want {
			t.Errorf("formatGiB(%d) = %s, want %s", mib, got, want)
		}
	}
}
