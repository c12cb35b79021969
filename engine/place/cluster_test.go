package place_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/place"
)

func TestClusterFits(t *testing.T) {
	tests := []struct {
		name   string
		allocs []alloc
		host   string
		cpu    int
		mib    int64
		want   string
	}{
		{name: "empty host", host: "hv-02", cpu: 4, mib: 16 * gib, want: ""},
		{name: "exact fit", allocs: []alloc{{"hv-02", "g", 28, 112 * gib}}, host: "hv-02", cpu: 4, mib: 16 * gib, want: ""},
		{
			name: "short of memory", allocs: []alloc{{"hv-02", "g", 30, 120 * gib}}, host: "hv-02", cpu: 2, mib: 16 * gib,
			want: "insufficient capacity on hv-02: needs 2 vCPU and 16 GiB, has 2 vCPU and 8 GiB free",
		},
		{
			name: "short of CPU", allocs: []alloc{{"hv-02", "g", 30, 0}}, host: "hv-02", cpu: 4, mib: 16 * gib,
			want: "insufficient capacity on hv-02: needs 4 vCPU and 16 GiB, has 2 vCPU and 128 GiB free",
		},
		{
			name: "memory that is not whole GiB shows as MiB", allocs: []alloc{{"hv-01", "g", 0, 127 * gib}}, host: "hv-01", cpu: 1, mib: 1536,
			want: "insufficient capacity on hv-01: needs 1 vCPU and 1536 MiB, has 32 vCPU and 1 GiB free",
		},
		{
			name: "an overcommitted host shows no negative capacity", allocs: []alloc{{"hv-03", "g", 40, 200 * gib}}, host: "hv-03", cpu: 1, mib: gib,
			want: "insufficient capacity on hv-03: needs 1 vCPU and 1 GiB, has 0 vCPU and 0 GiB free",
		},
		{name: "unknown host", host: "hv-09", cpu: 1, mib: gib, want: "no such host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cluster(fourHosts(), tt.allocs...).Fits(tt.host, tt.cpu, tt.mib); got != tt.want {
				t.Errorf("Fits(%s, %d, %d) = %q, want %q", tt.host, tt.cpu, tt.mib, got, tt.want)
			}
		})
	}
}

// TestClusterAddRemove checks that Remove undoes Add for capacity and for
// the group counts spread relies on, and that unknown hosts are ignored.
func TestClusterAddRemove(t *testing.T) {
	c := cluster(fourHosts()[:2])
	c.Add("hv-01", "fleet.web", 32, 128*gib)
	c.Add("hv-99", "fleet.web", 1, gib) // ignored, no panic
	if got := c.Fits("hv-01", 1, 1); got == "" {
		t.Fatalf("Fits on a full host = \"\", want a reason")
	}
	c.Remove("hv-01", "fleet.web", 32, 128*gib)
	c.Remove("hv-99", "fleet.web", 1, gib)
	if got := c.Fits("hv-01", 32, 128*gib); got != "" {
		t.Errorf("after Remove, Fits = %q, want the whole host free", got)
	}
	// hv-02 holds one VM of the group and hv-01 none after the Remove:
	// spread must pick hv-01 although hv-02 is the better fit.
	c.Add("hv-02", "fleet.web", 1, gib)
	c.Add("hv-01", "fleet.web", 1, gib)
	c.Remove("hv-01", "fleet.web", 1, gib)
	vm := place.VM{Group: "fleet.web", CPU: 1, MemoryMiB: gib, Spread: true}
	if got := (place.BestFit{}).Place(c, vm).Host; got != "hv-01" {
		t.Errorf("spread placed on %s, want hv-01 (Remove must drop the group count)", got)
	}
}

func TestClusterHosts(t *testing.T) {
	c := place.NewCluster([]driver.Host{{Name: "b"}, {Name: "c"}, {Name: "a"}})
	if diff := cmp.Diff([]string{"a", "b", "c"}, c.Hosts()); diff != "" {
		t.Errorf("Hosts (-want +got):\n%s", diff)
	}
	if !c.Has("b") || c.Has("d") {
		t.Errorf("Has(b), Has(d) = %v, %v; want true, false", c.Has("b"), c.Has("d"))
	}
	if c.Empty() || !place.NewCluster(nil).Empty() {
		t.Errorf("Empty() is wrong: a cluster with hosts must not be empty, one without must")
	}
}

func TestFormatMiB(t *testing.T) {
	for mib, want := range map[int64]string{0: "0 GiB", 512: "512 MiB", 1024: "1 GiB", 1536: "1536 MiB", 16384: "16 GiB"} {
		if got := place.FormatMiB(mib); got != want {
			t.Errorf("FormatMiB(%d) = %q, want %q", mib, got, want)
		}
	}
}
