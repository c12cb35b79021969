package exec

import (
	"context"
	"maps"

	"golang.org/x/time/rate"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/state"
)

// act performs one attempt of a change and records its result. A change
// for a provider without an open driver fails (permanently) before anything
// is done.
func (e *Executor) act(ctx context.Context, c *plan.Change, attempt int, lim *rate.Limiter) error {
	if e.Drivers[c.Provider()] == nil {
		return notOpen(c.Provider())
	}
	acquire := e.acquirer(ctx, lim)
	switch c.Action {
	case plan.Create:
		return e.create(ctx, acquire, c, attempt)
	case plan.Delete:
		return e.delete(ctx, acquire, c)
	case plan.Replace:
		return e.replace(ctx, acquire, c, attempt)
	case plan.Migrate:
		return e.migrate(ctx, acquire, c)
	case plan.Update, plan.Start, plan.Stop:
		return e.update(ctx, acquire, c)
	case plan.Adopt, plan.Move:
		return e.adopt(ctx, acquire, c)
	case plan.Forget:
		return e.forget(ctx, acquire, c)
	}
	return driver.Errorf(driver.KindPermanent, "unknown action %s", c.Action)
}

// acquireFunc returns a provider's open driver for one driver call, once
// the provider's rate limiter lets the call go. Every driver call of an
// action goes through it.
type acquireFunc func(provider string) (driver.Driver, error)

// acquirer returns the acquireFunc of one attempt, waiting on lim (nil: no
// rate limit).
func (e *Executor) acquirer(ctx context.Context, lim *rate.Limiter) acquireFunc {
	return func(provider string) (driver.Driver, error) {
		d := e.Drivers[provider]
		if d == nil {
			return nil, notOpen(provider)
		}
		if lim != nil {
			if err := lim.Wait(ctx); err != nil {
				return nil, driver.Wrap(driver.KindTransient, err)
			}
		}
		return d, nil
	}
}

func notOpen(provider string) error {
	return driver.Errorf(driver.KindPermanent, "provider %s is not open: the apply has no driver for it, so nothing was done", provider)
}

// adopt records a VM in state. An import, or a move of a VM, first writes
// the workspace's marker on it; a VM found by its marker already carries
// it.
func (e *Executor) adopt(ctx context.Context, acquire acquireFunc, c *plan.Change) error {
	if !c.Imported {
		e.setAdopted(c, stateVM(c, c.After, c.ID))
		return nil
	}
	d, err := acquire(c.Before.Provider)
	if err != nil {
		return err
	}
	vm, err := d.Update(ctx, c.ID, driver.Changes{Marker: c.Marker})
	if err != nil {
		return err
	}
	a := fromVM(c, vm)
	if c.MovedFrom != "" {
		a = c.After // a move keeps the state's record
	}
	e.setAdopted(c, stateVM(c, a, c.ID))
	return nil
}

// setAdopted records an adopted VM at its address. A moved VM is forgotten
// at its old address first: the state never holds one VM at two addresses,
// and until it is recorded at the new one, the marker it carries names the
// new one, where the next plan finds it.
func (e *Executor) setAdopted(c *plan.Change, vm *state.VM) {
	if c.MovedFrom != "" {
		e.Recorder.RemoveIf(c.MovedFrom, c.ID)
	}
	e.Recorder.Set(c.Address, vm)
}

// create makes the VM. A retry first looks for a VM carrying the marker: an
// attempt that timed out may have created it, and it must not exist twice.
// The VM a replace replaces is never that VM, even when it carries the same
// marker (`-replace` keeps the spec hash).
func (e *Executor) create(ctx context.Context, acquire acquireFunc, c *plan.Change, attempt int) error {
	d, err := acquire(c.After.Provider)
	if err != nil {
		return err
	}
	if attempt > 1 {
		replaced := ""
		if c.Before != nil && c.Before.Provider == c.After.Provider {
			replaced = c.ID
		}
		if vm, found, err := findByMarker(ctx, d, c.Marker, replaced); err != nil {
			return err
		} else if found {
			e.Recorder.Set(c.Address, stateVM(c, fromVM(c, vm), vm.ID))
			return nil
		}
	}
	vm, err := d.Create(ctx, vmSpec(c))
	if err != nil {
		return err
	}
	e.Recorder.Set(c.Address, stateVM(c, fromVM(c, vm), vm.ID))
	return nil
}

func (e *Executor) delete(ctx context.Context, acquire acquireFunc, c *plan.Change) error {
	d, err := acquire(c.Before.Provider)
	if err != nil {
		return err
	}
	if err := d.Delete(ctx, c.ID); err != nil {
		return err
	}
	e.Recorder.RemoveIf(c.Address, c.ID)
	if c.PreviousAddress != "" { // a moved block moved it, then it left the spec
		e.Recorder.RemoveIf(c.PreviousAddress, c.ID)
	}
	return nil
}

// Abandoner is a Recorder that can abandon a VM: the state keeps it in
// its abandoned list, and no plan adopts it again (state.Writer).
type Abandoner interface {
	Abandon(ref state.Ref)
}

// forget stops managing a VM (a removed block with destroy = false): the
// driver clears its ownership marker, then the state forgets its address
// and abandons it. The marker goes first: an apply that stops after it
// leaves the state's record, so the next plan forgets the VM again
// (clearing a cleared marker changes nothing), while the other way round
// a stop would leave a marker that an older or lost state adopts. A VM
// the provider no longer has carries no marker to clear. The abandoned
// list stays as a second guard, and the state never lists one VM both
// ways (forgotten first, then abandoned).
func (e *Executor) forget(ctx context.Context, acquire acquireFunc, c *plan.Change) error {
	ab, ok := e.Recorder.(Abandoner)
	if !ok {
		return driver.Errorf(driver.KindPermanent, "this apply's state cannot abandon a VM, so %s cannot be forgotten; nothing was done", c.Address)
	}
	d, err := acquire(c.Before.Provider)
	if err != nil {
		return err
	}
	if _, err := d.Update(ctx, c.ID, driver.Changes{ClearMarker: true}); err != nil && driver.KindOf(err) != driver.KindNotFound {
		return err
	}
	e.Recorder.RemoveIf(c.Address, c.ID)
	ab.Abandon(state.Ref{Provider: c.Before.Provider, ID: c.ID})
	return nil
}

// replace destroys then creates, or creates then destroys when the change
// says create-before-destroy. State follows each step, so a crash between
// them leaves a VM the next plan finds by its marker.
func (e *Executor) replace(ctx context.Context, acquire acquireFunc, c *plan.Change, attempt int) error {
	if !c.CreateBeforeDestroy {
		if err := e.delete(ctx, acquire, c); err != nil {
			return err
		}
		return e.create(ctx, acquire, c, attempt)
	}
	if err := e.create(ctx, acquire, c, attempt); err != nil {
		return err
	}
	d, err := acquire(c.Before.Provider)
	if err != nil {
		return err
	}
	return d.Delete(ctx, c.ID)
}

func (e *Executor) migrate(ctx context.Context, acquire acquireFunc, c *plan.Change) error {
	d, err := acquire(c.Before.Provider)
	if err != nil {
		return err
	}
	if err := d.Migrate(ctx, c.ID, c.After.Host, c.Live); err != nil {
		return err
	}
	e.Recorder.Set(c.Address, stateVM(c, c.After, c.ID))
	return nil
}

func (e *Executor) update(ctx context.Context, acquire acquireFunc, c *plan.Change) error {
	d, err := acquire(c.Before.Provider)
	if err != nil {
		return err
	}
	vm, err := d.Update(ctx, c.ID, changes(c))
	if err != nil {
		return err
	}
	e.Recorder.Set(c.Address, stateVM(c, fromVM(c, vm), c.ID))
	return nil
}

// changes is the in-place difference between a change's before and after.
func changes(c *plan.Change) driver.Changes {
	b, a := c.Before, c.After
	ch := driver.Changes{Restart: c.Restart}
	if a.CPU != b.CPU {
		ch.CPU = &a.CPU
	}
	if a.MemoryMiB != b.MemoryMiB {
		ch.MemoryMiB = &a.MemoryMiB
	}
	if a.DiskGB != b.DiskGB {
		ch.DiskGB = &a.DiskGB
	}
	if !maps.Equal(a.Tags, b.Tags) {
		ch.Tags = maps.Clone(a.Tags)
		if ch.Tags == nil {
			ch.Tags = map[string]string{}
		}
	}
	if a.Power != b.Power {
		ch.Power = &a.Power
	}
	return ch
}

// vmSpec is what Create is asked for. Its tags are the plan's own map,
// which a fleet's VMs share: drivers never change a VMSpec's tags
// (driver.VMSpec, checked by drivertest), so it is not copied per VM.
func vmSpec(c *plan.Change) driver.VMSpec {
	a := c.After
	return driver.VMSpec{
		Name: a.Name, Host: a.Host, CPU: a.CPU, MemoryMiB: a.MemoryMiB, DiskGB: a.DiskGB,
		Power: a.Power, Template: c.Template, Tags: a.Tags, Marker: *c.Marker,
	}
}

// findByMarker returns the VM carrying marker m, other than the VM skip.
func findByMarker(ctx context.Context, d driver.Driver, m *driver.Marker, skip string) (driver.VM, bool, error) {
	inv, err := d.Inventory(ctx)
	if err != nil {
		return driver.VM{}, false, err
	}
	for _, vm := range inv.VMs {
		if vm.Marker != nil && *vm.Marker == *m && vm.ID != skip {
			return vm, true, nil
		}
	}
	return driver.VM{}, false, nil
}
