package plan

import (
	"maps"
	"slices"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
)

// PlanRequests plans several migration requests (RequestMigrate) as one
// plan, each as PlanRequest plans one: `nova-plan rebalance`'s moves. A
// host's room is checked with the VMs earlier requests move onto it, while
// the hosts they leave still count them, so the plan holds whatever order
// the executor runs its migrations in. The fleets' rollout blocks cut the
// migrations into batches as they cut any plan's changes. Every refused
// request is a diagnostic; any refusal is no plan.
func PlanRequests(in Input, rs []VMRequest) (*Plan, hcl.Diagnostics) {
	in.Inventories = maps.Clone(in.Inventories)
	d := newDiffer(in)
	d.indexLive()
	var diags hcl.Diagnostics
	var changes []*Change
	for _, r := range rs {
		c, ds := d.requestOne(r)
		diags = append(diags, ds...)
		if c == nil {
			continue
		}
		changes = append(changes, c)
		d.arrive(c)
		d.plan.Targets = append(d.plan.Targets, r.Address)
	}
	if diags.HasErrors() {
		return nil, diags
	}
	d.plan.Changes = changes
	d.batch()
	d.sortChanges()
	return d.plan, diags
}

// requestOne plans one migration request, as PlanRequest does.
func (d *differ) requestOne(r VMRequest) (*Change, hcl.Diagnostics) {
	if r.Action != RequestMigrate {
		return nil, requestError("Unknown action", "%s: a plan of several requests holds only migrations, not %q.", r.Address, r.Action)
	}
	base, reason, diags := d.requestBase(r)
	if diags.HasErrors() {
		return nil, diags
	}
	return d.requestedMigrate(base, r, reason)
}

// arrive counts c's VM on its new host for the requests after it; the
// host it leaves keeps counting it.
func (d *differ) arrive(c *Change) {
	a := c.After
	inv := d.in.Inventories[a.Provider]
	vm := driver.VM{ID: c.ID + "@" + a.Host, Host: a.Host, CPU: a.CPU, MemoryMiB: a.MemoryMiB, Power: a.Power}
	inv.VMs = append(slices.Clip(inv.VMs), vm)
	d.in.Inventories[a.Provider] = inv
}
