package sim

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
)

func TestHostReconciliation(t *testing.T) {
	dir := t.TempDir()
	d := open(t, dir, driver.Config{"hosts": int64(3)})
	mustCreate(t, d, spec("a", "hv-02"))
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name    string
		cfg     driver.Config
		want    []driver.Host // nil: Open fails with wantErr
		wantErr string
	}{
		{
			name: "capacity follows the config and hosts are added",
			cfg:  driver.Config{"hosts": int64(4), "host_cpu": int64(64), "host_memory_gb": float64(0.5)},
			want: []driver.Host{
				{Name: "hv-01", CPU: 64, MemoryMiB: 512}, {Name: "hv-02", CPU: 64, MemoryMiB: 512},
				{Name: "hv-03", CPU: 64, MemoryMiB: 512}, {Name: "hv-04", CPU: 64, MemoryMiB: 512},
			},
		},
		{
			name: "an empty host is removed",
			cfg:  driver.Config{"hosts": int64(2)},
			want: []driver.Host{{Name: "hv-01", CPU: 32, MemoryMiB: 128 << 10}, {Name: "hv-02", CPU: 32, MemoryMiB: 128 << 10}},
		},
		{
			name:    "a host with VMs cannot be removed",
			cfg:     driver.Config{"hosts": int64(1)},
			wantErr: `opening the simulated provider "lab": cannot remove host hv-02 (1 VM) from the simulated cluster: VMs are still on it; delete or migrate them first, or keep the host in the provider block`,
		},
		{
			name:    "host_names overrides hosts",
			cfg:     driver.Config{"hosts": int64(7), "host_names": []string{"rack-a", "rack-b"}},
			wantErr: `opening the simulated provider "lab": cannot remove host hv-02 (1 VM) from the simulated cluster: VMs are still on it; delete or migrate them first, or keep the host in the provider block`,
		},
		{
			name: "named hosts keep the config's order",
			cfg:  driver.Config{"host_names": []string{"z", "hv-02", "a"}, "host_cpu": int64(2)},
			want: []driver.Host{{Name: "z", CPU: 2, MemoryMiB: 128 << 10}, {Name: "hv-02", CPU: 2, MemoryMiB: 128 << 10}, {Name: "a", CPU: 2, MemoryMiB: 128 << 10}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := openErr(t, dir, tt.cfg)
			if tt.want == nil {
				if err == nil {
					d.Close()
					t.Fatal("Open succeeded, want an error")
				}
				if diff := cmp.Diff(tt.wantErr, err.Error()); diff != "" {
					t.Errorf("error (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			got := mustInventory(t, d).Hosts
			if err := d.Close(); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("hosts (-want +got):\n%s", diff)
			}
			// The change survives a reopen with the same config.
			d = open(t, dir, tt.cfg)
			if diff := cmp.Diff(tt.want, mustInventory(t, d).Hosts); diff != "" {
				t.Errorf("hosts after reopen (-want +got):\n%s", diff)
			}
			if err := d.Close(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestReplayCountsCapacity(t *testing.T) {
	// A host added since the snapshot and a VM on it exist only in the
	// journal; after a crash the replay must still count what the VM uses.
	dir := t.TempDir()
	cfg := driver.Config{"hosts": int64(5), "host_cpu": int64(4)}
	d := open(t, dir, nil)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	d = open(t, dir, cfg)
	s := spec("a", "hv-05")
	s.CPU = 3
	mustCreate(t, d, s)
	crash(t, d)

	d = open(t, dir, cfg)
	s.CPU = 2
	_, err := d.Create(context.Background(), s)
	if driver.KindOf(err) != driver.KindCapacity {
		t.Errorf("Create of 2 vCPU on hv-05 with 1 free after replay: %v, want a capacity error", err)
	}
}
