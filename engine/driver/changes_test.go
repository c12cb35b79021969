package driver_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
)

func TestChangesApply(t *testing.T) {
	vm := driver.VM{
		ID: "vm-1", Name: "web-0", Host: "hv-01", CPU: 2, MemoryMiB: 2048, DiskGB: 20, Power: driver.PowerRunning,
		Template: "image=x", Tags: map[string]string{"a": "1"}, Addresses: []string{"10.0.0.2"},
		Marker: &driver.Marker{Address: "fleet.web[0]", Lineage: "l"},
	}
	cpu, mem, disk, power := 4, int64(4096), 40, driver.PowerStopped
	tests := []struct {
		name string
		ch   driver.Changes
		edit func(*driver.VM)
	}{
		{"nothing", driver.Changes{Restart: true}, func(*driver.VM) {}},
		{"sizes", driver.Changes{CPU: &cpu, MemoryMiB: &mem, DiskGB: &disk},
			func(v *driver.VM) { v.CPU, v.MemoryMiB, v.DiskGB = 4, 4096, 40 }},
		{"power", driver.Changes{Power: &power}, func(v *driver.VM) { v.Power = driver.PowerStopped }},
		{"tags replace the set", driver.Changes{Tags: map[string]string{"b": "2"}}, func(v *driver.VM) { v.Tags = map[string]string{"b": "2"} }},
		{"no tags at all", driver.Changes{Tags: map[string]string{}}, func(v *driver.VM) { v.Tags = map[string]string{} }},
		{"marker", driver.Changes{Marker: &driver.Marker{Address: "fleet.web[0]", Lineage: "m"}},
			func(v *driver.VM) { v.Marker = &driver.Marker{Address: "fleet.web[0]", Lineage: "m"} }},
		{"clear the marker", driver.Changes{ClearMarker: true}, func(v *driver.VM) { v.Marker = nil }},
		{"clearing wins over a marker", driver.Changes{ClearMarker: true, Marker: &driver.Marker{Address: "fleet.web[0]", Lineage: "m"}},
			func(v *driver.VM) { v.Marker = nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := vm
			want.Tags = map[string]string{"a": "1"}
			want.Marker = &driver.Marker{Address: "fleet.web[0]", Lineage: "l"}
			tt.edit(&want)
			got := tt.ch.Apply(vm)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("Apply (-want +got):\n%s", diff)
			}
			got.Tags["x"], got.Addresses[0] = "y", "changed"
			if got.Marker != nil {
				got.Marker.Lineage = "changed"
			}
			if vm.Tags["x"] != "" || vm.Addresses[0] != "10.0.0.2" || vm.Marker.Lineage != "l" {
				t.Error("the result shares memory with the VM")
			}
			if tt.ch.Tags != nil && tt.ch.Tags["x"] != "" || tt.ch.Marker != nil && tt.ch.Marker.Lineage == "changed" {
				t.Error("the result shares memory with the changes")
			}
		})
	}
}

func TestResolveAppliesDefaultsAndChecks(t *testing.T) {
	positive := func(v any) error {
		if v.(int64) <= 0 {
			return errors.New("must be positive")
		}
		return nil
	}
	settings := []driver.Setting{
		{Name: "hosts", Type: driver.Int, Default: int64(2), Check: positive},
		{Name: "name", Type: driver.String},
		{Name: "tags", Type: driver.StringMap},
	}
	got, err := driver.Resolve(settings, driver.Config{"name": "lab", "tags": nil, "unknown": true})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(driver.Config{"hosts": int64(2), "name": "lab"}, got); diff != "" {
		t.Errorf("Resolve (-want +got):\n%s", diff)
	}
	if _, err := driver.Resolve(settings, driver.Config{"hosts": int64(0)}); err == nil || err.Error() != "must be positive" {
		t.Errorf("Resolve with hosts = 0: %v, want the setting's Check error", err)
	}
	bad := []driver.Setting{{Name: "hosts", Type: driver.Int, Default: int64(-1), Check: positive}}
	if _, err := driver.Resolve(bad, nil); err == nil {
		t.Error("Resolve does not check a default")
	}
	c := driver.Config{"hosts": int64(5)}
	c.SetDefaults(settings)
	if diff := cmp.Diff(driver.Config{"hosts": int64(5)}, c); diff != "" {
		t.Errorf("SetDefaults overwrote a value or set a setting without a default (-want +got):\n%s", diff)
	}
}
