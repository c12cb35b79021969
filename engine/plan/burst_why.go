package plan

import (
	"fmt"
	"strings"

	"github.com/novacron/novacron/engine/spec"
)

// burstWhy is what the error of a VM no host can take adds about
// bursting: why burst_to could not take it either, or that the VM runs on
// another provider today and burst_to does not name it.
func (d *differ) burstWhy(c *Change, f *spec.Fleet) string {
	b := burstTo(f)
	if b != nil && c.After.Provider != b.Key() {
		return d.burstTried(c, f, b)
	}
	if c.Action != Replace || c.Before == nil || c.Before.Provider == c.After.Provider || b != nil && b.Key() == c.Before.Provider {
		return ""
	}
	return fmt.Sprintf("\n%s runs on provider %s today, and the plan moves it to %s, the fleet's provider: placement.burst_to does not name %s, "+
		"so it cannot stay there while %s is full (burst_to = provider.%s lets it stay).",
		c.Address, c.Before.Provider, c.After.Provider, c.Before.Provider, c.After.Provider, c.Before.Provider)
}

// burstTried says why burst_to's hosts cannot take the VM either. The
// placement burst made is made again: it failed, so it took no room, and
// it fails again the same way with the reasons.
func (d *differ) burstTried(c *Change, f *spec.Fleet, b *spec.Provider) string {
	cl := d.placing.clusters[b.Key()]
	if cl == nil || cl.Empty() {
		return ""
	}
	vm := placementVM(c, f)
	vm.Pin = ""
	dec := d.placer.Place(cl, vm)
	if dec.Host != "" {
		cl.RemoveVM(dec.Host, vm) // not expected: burst found no room
		return ""
	}
	lines := []string{fmt.Sprintf("\nBursting to %s (placement.burst_to) was tried, and no host there can take it either:", b.Key())}
	closest := cl.Closest(dec.Rejected, vm, closestHosts)
	for _, r := range closest {
		lines = append(lines, "  - "+r.Host+": "+r.Reason)
	}
	if hosts, shown := realHosts(cl, dec.Rejected), realHosts(cl, closest); hosts > shown {
		lines = append(lines, fmt.Sprintf("  (the %d closest hosts of %d; the others are further from taking it)", shown, hosts))
	}
	return strings.Join(lines, "\n")
}
