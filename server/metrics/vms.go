package metrics

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/novacron/novacron/server/estate"
)

// vmCounts is nova_vms{workspace,provider,power}: the counts of the last
// listing, replaced whole by each, so a workspace, provider or power state
// no longer seen has no series, and a scrape never sees a listing half
// set.
type vmCounts struct {
	desc   *prometheus.Desc
	mu     sync.Mutex
	counts map[vmKey]int
}

type vmKey struct{ workspace, provider, power string }

func newVMCounts() *vmCounts {
	return &vmCounts{
		desc: prometheus.NewDesc("nova_vms", "VMs in the last inventory listing, by workspace, provider and power state.",
			[]string{"workspace", "provider", "power"}, nil),
		counts: map[vmKey]int{},
	}
}

// set counts vms as the listing holds them: per workspace, since each
// workspace reads its providers itself — two workspaces' providers of one
// name (each its own simulated cluster) may reuse VM ids, and are still
// different VMs.
func (c *vmCounts) set(vms []estate.VM) {
	counts := map[vmKey]int{}
	for _, vm := range vms {
		counts[vmKey{vm.Workspace, vm.Provider, oneOf(vm.Power, powers)}]++
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
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), k.workspace, k.provider, k.power)
	}
}
