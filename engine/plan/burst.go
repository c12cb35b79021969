package plan

import (
	"fmt"

	"github.com/novacron/novacron/engine/place"
	"github.com/novacron/novacron/engine/spec"
)

// burst plans on the fleet's burst_to provider a new VM that no host of
// its own provider can take, and reports whether it did. A VM that burst
// earlier and that its home still has no room for stays where it is: its
// replace is set aside (stays) for stayOnBurst, which plans what the VM
// needs where it is.
func (d *differ) burst(c *Change, f *spec.Fleet) bool {
	b := burstTo(f)
	if b == nil || c.After.Provider == b.Key() {
		return false
	}
	home := c.After.Provider
	if c.Action == Replace && c.Before.Provider == b.Key() {
		d.stays = append(d.stays, c)
		return true
	}
	vm := placementVM(c, f)
	vm.Pin = "" // the pin named a host of home
	host := ""
	if cl := d.placing.clusters[b.Key()]; cl != nil && !cl.Empty() {
		if host = d.placer.Place(cl, vm).Host; host == "" {
			return false // no room there either: the error names home's hosts
		}
	}
	ref := f.TemplateFor(b.Type)
	c.After.Provider, c.After.Host, c.After.Template = b.Key(), host, ref.ID()
	c.Template, c.Burst = ref, true
	if c.Action == Replace && c.Before.Provider != home && len(c.Reasons) > 0 {
		// a VM away from home (burst_to changed) that goes to the new
		// burst provider, not home: made there before the old one goes
		c.Reasons[0] = fmt.Sprintf("provider changes from %s to %s", c.Before.Provider, b.Key())
		c.CreateBeforeDestroy = true
	}
	c.Reasons = append(c.Reasons, fmt.Sprintf("no host of %s can take it: bursts to %s", home, b.Key()))
	return true
}

// burstTo is the fleet's burst_to provider, or nil.
func burstTo(f *spec.Fleet) *spec.Provider {
	if f == nil {
		return nil
	}
	return f.Placement.BurstTo
}

// comingBack marks a replace that brings a VM home from the fleet's
// burst_to provider: made before the burst VM is destroyed. place drops
// it again (burst) when home still has no room.
func comingBack(c *Change, f *spec.Fleet) {
	b := burstTo(f)
	if b == nil || c.Before == nil || c.Before.Provider != b.Key() {
		return
	}
	c.CreateBeforeDestroy, c.Burst = true, true
	c.Reasons = append(c.Reasons, fmt.Sprintf("back from burst provider %s: a host of %s has room", b.Key(), c.After.Provider))
}

// placing is what place keeps for burst: the placer, every provider's
// cluster, and the replaces of burst VMs that stay where they are.
type placing struct {
	placer   place.Placer
	clusters map[string]*place.Cluster
	stays    []*Change
	// burstFleets are the fleets of stays copied onto their burst
	// providers, by fleet (onBurst).
	burstFleets map[*spec.Fleet]*spec.Fleet
}
