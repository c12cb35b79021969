package place_test

import (
	"math/rand"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/place"
)

const gib = 1024

// alloc is a VM already on a host before the placement under test.
type alloc struct {
	host, group string
	cpu         int
	mib         int64
}

// fourHosts are hv-01 … hv-04 with 32 vCPU and 128 GiB each.
func fourHosts() []driver.Host {
	return []driver.Host{
		{Name: "hv-01", CPU: 32, MemoryMiB: 128 * gib},
		{Name: "hv-02", CPU: 32, MemoryMiB: 128 * gib},
		{Name: "hv-03", CPU: 32, MemoryMiB: 128 * gib},
		{Name: "hv-04", CPU: 32, MemoryMiB: 128 * gib},
	}
}

func cluster(hosts []driver.Host, allocs ...alloc) *place.Cluster {
	c := place.NewCluster(hosts)
	for _, a := range allocs {
		c.Add(a.host, a.group, a.cpu, a.mib)
	}
	return c
}

func TestBestFit(t *testing.T) {
	small := place.VM{Address: "fleet.web[0]", Group: "fleet.web", CPU: 4, MemoryMiB: 16 * gib}
	pinned := func(host string) place.VM { vm := small; vm.Pin = host; return vm }
	spread := small
	spread.Spread = true
	tests := []struct {
		name   string
		hosts  []driver.Host
		allocs []alloc
		vm     place.VM
		want   place.Decision
	}{{
		name: "pin to an existing host with room",
		// hv-01 is the best fit, but the pin wins.
		hosts: fourHosts(), allocs: []alloc{{"hv-01", "vm.db", 16, 64 * gib}},
		vm:   pinned("hv-03"),
		want: place.Decision{Host: "hv-03"}, // reasons are only kept for a VM no host takes
	}, {
		name: "pin to a missing host", hosts: fourHosts()[:2], vm: pinned("hv-09"),
		want: place.Decision{Rejected: []place.Rejection{
			{"hv-09", `the pinned host "hv-09" does not exist`}, // first: the reason that matters
			{"hv-01", "not the pinned host hv-09"},
			{"hv-02", "not the pinned host hv-09"},
		}},
	}, {
		name: "pin to a full host", hosts: fourHosts()[:2],
		allocs: []alloc{{"hv-02", "vm.db", 30, 120 * gib}},
		vm:     pinned("hv-02"),
		want: place.Decision{Rejected: []place.Rejection{
			{"hv-01", "not the pinned host hv-02"},
			{"hv-02", "insufficient capacity on hv-02: needs 4 vCPU and 16 GiB, has 2 vCPU and 8 GiB free"},
		}},
	}, {
		name: "best fit leaves the least free memory", hosts: fourHosts(),
		allocs: []alloc{
			{"hv-01", "a", 1, 100 * gib}, // 28 GiB free: fits, 12 left
			{"hv-02", "a", 1, 110 * gib}, // 18 GiB free: fits, 2 left — best
			{"hv-03", "a", 1, 115 * gib}, // 13 GiB free: too little
		},
		vm:   small,
		want: place.Decision{Host: "hv-02"},
	}, {
		name: "equal memory: the least free CPU wins", hosts: fourHosts(),
		allocs: []alloc{
			{"hv-01", "a", 8, 64 * gib}, {"hv-02", "a", 20, 64 * gib},
			{"hv-03", "a", 12, 64 * gib}, {"hv-04", "a", 0, 32 * gib},
		},
		vm:   small,
		want: place.Decision{Host: "hv-02"},
	}, {
		name: "complete tie: the first host by name", hosts: fourHosts(), vm: small,
		want: place.Decision{Host: "hv-01"},
	}, {
		name: "exactly the free capacity fits", hosts: fourHosts()[:1],
		allocs: []alloc{{"hv-01", "a", 28, 112 * gib}},
		vm:     small,
		want:   place.Decision{Host: "hv-01"},
	}, {
		name: "CPU alone can reject", hosts: fourHosts()[:1],
		allocs: []alloc{{"hv-01", "a", 29, 0}},
		vm:     small,
		want: place.Decision{Rejected: []place.Rejection{
			{"hv-01", "insufficient capacity on hv-01: needs 4 vCPU and 16 GiB, has 3 vCPU and 128 GiB free"},
		}},
	}, {
		name: "no host has room: every host says why", hosts: fourHosts()[:3],
		allocs: []alloc{{"hv-01", "a", 30, 0}, {"hv-02", "a", 0, 120 * gib}, {"hv-03", "a", 32, 128 * gib}},
		vm:     small,
		want: place.Decision{Rejected: []place.Rejection{
			{"hv-01", "insufficient capacity on hv-01: needs 4 vCPU and 16 GiB, has 2 vCPU and 128 GiB free"},
			{"hv-02", "insufficient capacity on hv-02: needs 4 vCPU and 16 GiB, has 32 vCPU and 8 GiB free"},
			{"hv-03", "insufficient capacity on hv-03: needs 4 vCPU and 16 GiB, has 0 vCPU and 0 GiB free"},
		}},
	}, {
		name: "spread: the fewest VMs of the group first, over best fit", hosts: fourHosts()[:3],
		allocs: []alloc{
			{"hv-01", "fleet.web", 4, 16 * gib}, {"hv-01", "fleet.web", 4, 16 * gib},
			{"hv-02", "fleet.web", 4, 16 * gib},
			{"hv-03", "fleet.web", 4, 16 * gib}, {"hv-03", "other", 8, 96 * gib},
		},
		vm:   spread,
		want: place.Decision{Host: "hv-03"}, // hv-02 and hv-03 tie on count; hv-03 is fuller
	}, {
		name: "spread counts only the VM's own group", hosts: fourHosts()[:2],
		allocs: []alloc{{"hv-01", "other", 1, gib}, {"hv-01", "other", 1, gib}, {"hv-02", "fleet.web", 1, gib}},
		vm:     spread,
		want:   place.Decision{Host: "hv-01"},
	}, {
		name: "without spread the group is packed", hosts: fourHosts()[:2],
		allocs: []alloc{{"hv-01", "fleet.web", 4, 16 * gib}, {"hv-01", "fleet.web", 4, 16 * gib}},
		vm:     small,
		want:   place.Decision{Host: "hv-01"},
	}, {
		name: "spread skips a host without room", hosts: fourHosts()[:2],
		allocs: []alloc{{"hv-01", "other", 32, 0}, {"hv-02", "fleet.web", 4, 16 * gib}},
		vm:     spread,
		want:   place.Decision{Host: "hv-02"},
	}, {
		name: "no hosts: no decision and no reasons", vm: small,
		want: place.Decision{},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := place.BestFit{}.Place(cluster(tt.hosts, tt.allocs...), tt.vm)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Place (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBestFitAllocates checks that a placement takes the capacity it was
// given: a second identical VM lands elsewhere once the first host is full.
func TestBestFitAllocates(t *testing.T) {
	c := cluster([]driver.Host{{Name: "a", CPU: 8, MemoryMiB: 32 * gib}, {Name: "b", CPU: 8, MemoryMiB: 32 * gib}})
	vm := place.VM{Address: "fleet.w[0]", Group: "fleet.w", CPU: 4, MemoryMiB: 16 * gib}
	var got []string
	for range 5 {
		got = append(got, place.BestFit{}.Place(c, vm).Host)
	}
	if diff := cmp.Diff([]string{"a", "a", "b", "b", ""}, got); diff != "" {
		t.Errorf("hosts chosen (-want +got):\n%s", diff)
	}
	if why := c.Fits("a", 1, 0); why == "" {
		t.Errorf("host a has room after two 4 vCPU VMs on 8 vCPU; want it full")
	}
}

// TestBestFitDeterministic places the same VMs on the same hosts given in
// different orders and expects the same decisions every time.
func TestBestFitDeterministic(t *testing.T) {
	hosts := []driver.Host{
		{Name: "hv-01", CPU: 16, MemoryMiB: 64 * gib}, {Name: "hv-02", CPU: 16, MemoryMiB: 64 * gib},
		{Name: "hv-03", CPU: 32, MemoryMiB: 64 * gib}, {Name: "hv-04", CPU: 16, MemoryMiB: 96 * gib},
		{Name: "hv-05", CPU: 8, MemoryMiB: 32 * gib},
	}
	var vms []place.VM
	for i := range 30 {
		vms = append(vms, place.VM{
			Group: []string{"fleet.a", "fleet.b", "vm.c"}[i%3], CPU: 1 + i%4,
			MemoryMiB: int64(2+i%5) * gib, Spread: i%2 == 0,
		})
	}
	run := func(hs []driver.Host) []place.Decision {
		c := place.NewCluster(hs)
		var out []place.Decision
		for _, vm := range vms {
			out = append(out, place.BestFit{}.Place(c, vm))
		}
		return out
	}
	want := run(hosts)
	rng := rand.New(rand.NewSource(7))
	for range 20 {
		shuffled := append([]driver.Host(nil), hosts...)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if diff := cmp.Diff(want, run(shuffled)); diff != "" {
			t.Fatalf("decisions depend on the order hosts are given in (-first +shuffled):\n%s", diff)
		}
	}
}
