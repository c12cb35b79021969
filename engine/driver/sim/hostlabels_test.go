package sim

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
)

// TestHostDiskAndLabels: host_disk_gb and host_labels reach the hosts the
// sim reports; bad labels and labels of a host the provider lacks are
// errors that say what is wrong.
func TestHostDiskAndLabels(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cfg     driver.Config
		want    []driver.Host
		wantErr string
	}{{
		name: "disk and labels",
		cfg: driver.Config{settingHosts: int64(2), settingHostDisk: float64(500),
			settingHostLabels: map[string]string{"hv-02": "rack=r1, ssd=true"}},
		want: []driver.Host{
			{Name: "hv-01", CPU: 32, MemoryMiB: 128 * 1024, DiskGiB: 500},
			{Name: "hv-02", CPU: 32, MemoryMiB: 128 * 1024, DiskGiB: 500, Labels: map[string]string{"rack": "r1", "ssd": "true"}},
		},
	}, {
		name: "no disk by default",
		cfg:  driver.Config{settingHosts: int64(1)},
		want: []driver.Host{{Name: "hv-01", CPU: 32, MemoryMiB: 128 * 1024}},
	}, {
		name:    "a label without a value",
		cfg:     driver.Config{settingHostLabels: map[string]string{"hv-01": "rack"}},
		wantErr: `host_labels["hv-01"]: "rack" is not a label: write key=value, separated by commas`,
	}, {
		name:    "a label twice",
		cfg:     driver.Config{settingHostLabels: map[string]string{"hv-01": "rack=r1,rack=r2"}},
		wantErr: `the label "rack" is given twice`,
	}, {
		name:    "labels of a host the provider lacks",
		cfg:     driver.Config{settingHosts: int64(2), settingHostLabels: map[string]string{"hv-09": "rack=r1"}},
		wantErr: `host_labels names "hv-09", which is not a host of this provider (hosts: hv-01, hv-02)`,
	}, {
		name:    "negative disk",
		cfg:     driver.Config{settingHostDisk: float64(-1)},
		wantErr: "host_disk_gb must be a number of GiB, 0 or more",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := resolveConfig(tc.cfg)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got.hosts); diff != "" {
				t.Errorf("hosts (-want +got):\n%s", diff)
			}
		})
	}
}
