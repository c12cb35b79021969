package main

import (
	"fmt"
	"io"
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
)

// createsPlan10k is the plan of a new fleet of 10,000 VMs.
func createsPlan10k() *plan.Plan {
	p := &plan.Plan{}
	for i := range 10000 {
		addr := fmt.Sprintf("fleet.app[%d]", i)
		p.Changes = append(p.Changes, &plan.Change{
			Address: addr, Fleet: "fleet.app", Action: plan.Create,
			After: &plan.Attrs{Provider: "sim.big", Name: fmt.Sprintf("app-%d", i), Host: fmt.Sprintf("hv-%03d", i%100), CPU: 1, MemoryMiB: 1024,
				Power: driver.PowerRunning, Template: `image="base"`, TemplateName: "base", Tags: map[string]string{"tier": "app"}},
			Reasons: []string{"not found: no VM carries this address's marker"},
		})
	}
	return p
}

// BenchmarkRenderPlan10kCreates renders, as text, the plan an apply of a
// new 10,000-VM fleet shows.
func BenchmarkRenderPlan10kCreates(b *testing.B) {
	p := createsPlan10k()
	u := &ui{out: io.Discard, err: io.Discard}
	b.ReportAllocs()
	for b.Loop() {
		u.renderPlan(io.Discard, p)
	}
}
