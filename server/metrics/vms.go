package metrics

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/novacron/novacron/server/estate"
)

// vmCounts is nova_vms{provider,power}: the counts of the last listing,
// replaced whole by each, so a provider or power state no longer seen has
// no series, and a scrape never sees a listing half set.
type vmCounts struct {
	desc   *prometheus.Desc
	mu     sync.Mutex
	counts map[vmKey]int
}

type vmKey struct{ provider, power string }

func newVMCounts() *vmCounts {
	return &vmCounts{
		desc: prometheus.NewDesc("nova_vms", "VMs in the last inventory listing, by provider and power state.",
			[]string{"provider", "power"}, nil),
		counts: map[vmKey]int{},
	}
}

// set counts vms, each VM once: workspaces that read one provider each
// list its VMs.
func (c *vmCounts) set(vms []estate.VM) {
	type vmID struct{ provider, id string }
	seen := map[vmID]bool{}
	counts := map[vmKey]int{}
	for _, vm := range vms {
		id := vmID{vm.Provider, vm.InventoryVM.ID}
		if seen[id] {
			continue
		}
		seen[id] = true
		counts[vmKey{vm.Provider, oneOf(vm.Power, powers)}]++
	}
	c.mu.Lock()
	c.counts = counts
	c.mu.Unlock()
}

func (c *vmCounts) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *vmCounts) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, n := range c.counts {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), k.provider, k.power)
	}
}
