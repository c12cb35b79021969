package plan

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/place"
)

// The actions a VMRequest asks for.
const (
	RequestStart   = "start"
	RequestStop    = "stop"
	RequestRestart = "restart"
	RequestMigrate = "migrate"
)

// VMRequest is an explicit request on one VM of the state, made for a user
// (the server's start, stop, restart and migrate actions). It is planned as
// asked, not diffed against the spec: whether the spec allows it is the
// face's to decide before it asks.
type VMRequest struct {
	Address string // the VM's address in state: fleet.web[0], vm.db-01
	Action  string // RequestStart, RequestStop, RequestRestart or RequestMigrate
	Host    string // RequestMigrate: the host to move the VM to
	Live    bool   // RequestMigrate: keep a running VM running (the driver must migrate live)
	// Reason is the changes' reason; "" says the action was requested.
	Reason string
}

// PlanRequest plans r against the VM in.State records at r.Address as
// in.Inventories show it: a start or a stop (no change when the VM already
// is so), a stop then a start for a restart of a running VM, or a
// migration to a host of its provider that has room for it. The plan is
// pinned to the state and spec like any other, so it is applied the same
// way. A request that cannot be done (no such VM, a stopped VM to restart,
// a provider that cannot migrate, a full or unknown host) is an error.
func PlanRequest(in Input, r VMRequest) (*Plan, hcl.Diagnostics) {
	d := newDiffer(in)
	d.indexLive()
	base, reason, diags := d.requestBase(r)
	if diags.HasErrors() {
		return nil, diags
	}
	changes, diags := d.requested(base, r, reason)
	if diags.HasErrors() {
		return nil, diags
	}
	d.plan.Targets = []string{r.Address}
	d.plan.Changes = changes
	return d.plan, nil
}

// requestBase is the change a request on the VM of r.Address starts from,
// and the reason its changes give.
func (d *differ) requestBase(r VMRequest) (Change, string, hcl.Diagnostics) {
	rec := d.st.VMs[r.Address]
	if rec == nil {
		return Change{}, "", requestError("No such VM", "The state records no VM at %s.", r.Address)
	}
	var vm *driver.VM
	if idx := d.live[rec.Provider]; idx != nil {
		vm = idx.byID(rec.ID)
	}
	if vm == nil {
		return Change{}, "", requestError("The VM is gone", "VM %s of %s is not in the inventory of provider %s: plan the workspace to see what changed.", rec.ID, r.Address, rec.Provider)
	}
	before := liveAttrs(rec.Provider, vm)
	if before.Template == "" {
		before.Template = rec.Template
	}
	base := Change{Address: r.Address, Fleet: rec.Fleet, ID: vm.ID, DependsOn: rec.DependsOn, Before: before}
	reason := r.Reason
	if reason == "" {
		reason = r.Action + " requested"
	}
	return base, reason, nil
}

// requested returns the changes of r on the VM base acts on.
func (d *differ) requested(base Change, r VMRequest, reason string) ([]*Change, hcl.Diagnostics) {
	power := func(action Action, p driver.Power) *Change {
		c := base
		c.Action, c.After, c.Reasons = action, c.Before.Clone(), []string{reason}
		c.After.Power = p
		c.Before = c.Before.Clone()
		return &c
	}
	on := base.Before.Power == driver.PowerRunning
	switch r.Action {
	case RequestStart:
		if on {
			return nil, nil
		}
		return []*Change{power(Start, driver.PowerRunning)}, nil
	case RequestStop:
		if !on {
			return nil, nil
		}
		return []*Change{power(Stop, driver.PowerStopped)}, nil
	case RequestRestart:
		if !on {
			return nil, requestError("Cannot restart a stopped VM", "%s is %s: start it instead.", r.Address, base.Before.Power)
		}
		stop := power(Stop, driver.PowerStopped)
		start := power(Start, driver.PowerRunning)
		start.Before.Power = driver.PowerStopped
		return []*Change{stop, start}, nil
	case RequestMigrate:
		c, diags := d.requestedMigrate(base, r, reason)
		if c == nil {
			return nil, diags
		}
		return []*Change{c}, diags
	}
	return nil, requestError("Unknown action", "%q is not an action on a VM: use start, stop, restart or migrate.", r.Action)
}

// requestedMigrate returns the migration of the VM base acts on to r.Host,
// refusing one its provider cannot make or its host cannot take.
func (d *differ) requestedMigrate(base Change, r VMRequest, reason string) (*Change, hcl.Diagnostics) {
	b := base.Before
	caps := d.in.Capabilities[b.Provider]
	switch {
	case !caps.Migrate:
		return nil, requestError("Cannot migrate", "Provider %s cannot migrate VMs.", b.Provider)
	case r.Host == b.Host:
		return nil, requestError("Nothing to migrate", "%s already runs on %s.", r.Address, r.Host)
	case r.Live && !caps.LiveMigrate && b.Power == driver.PowerRunning:
		return nil, requestError("Cannot migrate live", "Provider %s cannot migrate a running VM live: migrate it with live = false, which stops it during the move.", b.Provider)
	}
	if why := Room(d.in.Inventories[b.Provider], caps, b, r.Host); why != "" {
		return nil, requestError("The host cannot take the VM", "%s cannot move to %s: %s.", r.Address, r.Host, why)
	}
	c := base
	c.Action, c.Before, c.After, c.Reasons = Migrate, b.Clone(), b.Clone(), []string{reason}
	c.After.Host = r.Host
	c.Live = r.Live && b.Power == driver.PowerRunning
	return &c, nil
}

// Room says why host cannot take a VM of a provider whose inventory is
// inv, moving there from another host; "" when it can. A host the
// inventory does not list cannot.
func Room(inv driver.Inventory, caps driver.Capabilities, a *Attrs, host string) string {
	cl := place.NewCluster(inv.Hosts)
	if !cl.Has(host) {
		return fmt.Sprintf("provider %s has no host %s (its hosts: %s)", a.Provider, host, strings.Join(cl.Hosts(), ", "))
	}
	free := caps.StoppedUseNoCapacity
	var vm driver.VM
	var m driver.Marker
	for i := range inv.Len() {
		inv.Fill(i, &vm, &m)
		if !free || vm.Power == driver.PowerRunning {
			cl.Add(vm.Host, "", vm.CPU, vm.MemoryMiB)
		}
	}
	if free && a.Power != driver.PowerRunning {
		return ""
	}
	return cl.Fits(host, a.CPU, a.MemoryMiB)
}

func requestError(summary, detail string, args ...any) hcl.Diagnostics {
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: fmt.Sprintf(detail, args...)}}
}
