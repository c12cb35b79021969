package plan

// rolling are the actions a rollout puts in batches: changes to VMs that
// already exist.
var rolling = map[Action]bool{Update: true, Replace: true, Migrate: true, Start: true, Stop: true}

// batch cuts each rollout fleet's changes to existing VMs into batches of at
// most batch_size VMs, of which at most max_unavailable are disrupted
// (restarted, stopped, replaced without create-before-destroy). All changes
// to one VM stay in one batch.
func (d *differ) batch() {
	if d.in.Spec == nil {
		return
	}
	for _, f := range d.in.Spec.Fleets {
		if f.Rollout == nil {
			continue
		}
		units, order := d.rolloutUnits(f.Address())
		b := batcher{size: f.Rollout.BatchSize, maxDown: f.Rollout.MaxUnavailable, batch: 1}
		for _, addr := range order {
			b.add(units[addr])
		}
	}
}

// rolloutUnits groups a fleet's rolling changes by address, in plan order.
func (d *differ) rolloutUnits(fleet string) (map[string][]*Change, []string) {
	units := map[string][]*Change{}
	var order []string
	for _, c := range d.plan.Changes {
		if c.Fleet != fleet || !rolling[c.Action] {
			continue
		}
		if units[c.Address] == nil {
			order = append(order, c.Address)
		}
		units[c.Address] = append(units[c.Address], c)
	}
	return units, order
}

type batcher struct {
	size, maxDown int
	batch         int
	n, down       int // VMs and disrupted VMs in the current batch
}

func (b *batcher) add(unit []*Change) {
	disruptive := false
	for _, c := range unit {
		disruptive = disruptive || c.Disruptive()
	}
	if b.n == b.size || (disruptive && b.down == b.maxDown) {
		b.batch, b.n, b.down = b.batch+1, 0, 0
	}
	b.n++
	if disruptive {
		b.down++
	}
	for _, c := range unit {
		c.Batch = b.batch
	}
}
