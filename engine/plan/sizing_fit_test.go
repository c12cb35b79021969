package plan

import (
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/spec"
)

// TestHostFit: a hypervisor can hold a VM when some host, empty, has its
// vCPUs, memory, disk and labels (and is its pinned host); a provider
// without hosts (a cloud) always can.
func TestHostFit(t *testing.T) {
	hosts := []driver.Host{
		{Name: "hv-01", CPU: 8, MemoryMiB: 32 << 10, DiskGiB: 100},
		{Name: "hv-02", CPU: 16, MemoryMiB: 64 << 10, DiskGiB: 50, Labels: map[string]string{"ssd": "true"}},
	}
	tests := []struct {
		name   string
		hosts  []driver.Host
		labels map[string]string
		inst   spec.Instance
		fits   bool
	}{
		{"the largest host holds it", hosts, nil, spec.Instance{CPU: 16, MemoryMiB: 64 << 10}, true},
		{"more vCPUs than any host", hosts, nil, spec.Instance{CPU: 17, MemoryMiB: 1 << 10}, false},
		{"more memory than any host", hosts, nil, spec.Instance{CPU: 1, MemoryMiB: 65 << 10}, false},
		{"disk only the smaller host has", hosts, nil, spec.Instance{CPU: 16, MemoryMiB: 1 << 10, DiskGB: 80}, false},
		{"labels the large host has", hosts, map[string]string{"ssd": "true"}, spec.Instance{CPU: 12, MemoryMiB: 1 << 10}, true},
		{"labels no host has", hosts, map[string]string{"gpu": "true"}, spec.Instance{CPU: 1, MemoryMiB: 1 << 10}, false},
		{"pinned to a host that holds it", hosts, nil, spec.Instance{CPU: 4, MemoryMiB: 1 << 10, Host: "hv-01"}, true},
		{"pinned to a host too small", hosts, nil, spec.Instance{CPU: 12, MemoryMiB: 1 << 10, Host: "hv-01"}, false},
		{"pinned to a host it lacks", hosts, nil, spec.Instance{CPU: 1, MemoryMiB: 1 << 10, Host: "hv-09"}, false},
		{"a cloud reports no hosts", nil, nil, spec.Instance{CPU: 512, MemoryMiB: 1 << 30, Host: "us-east-1a"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &spec.Fleet{Name: "web", Placement: spec.Placement{HostLabels: tt.labels}}
			h := newHostFit(tt.hosts, f)
			for range 2 { // the second answer comes from the cache
				if err := h.check(&tt.inst); (err == nil) != tt.fits {
					t.Fatalf("check = %v, want fits = %v", err, tt.fits)
				}
			}
		})
	}
}
