package estate

import (
	"context"
	"fmt"
	"strings"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/operation"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/engine/workspace"
)

// Act starts a power action or a migration of one VM. A VM a spec owns
// is a *ConflictError naming the spec, unless the spec allows the action:
// a restart of a VM it wants running, a start or stop to the power it
// wants, a migration when it pins no host (or to the host it pins). An
// allowed action is planned through the engine (plan.VMRequest) and
// applied as a run. A start, stop or migration of a VM the API created
// changes its block in the API file and applies that.
func (e *Estate) Act(ctx context.Context, who, id string, r ActionRequest) (*Run, error) {
	if err := checkAction(r); err != nil {
		return nil, err
	}
	s, vm, err := e.managed(id)
	if err != nil {
		return nil, err
	}
	req := plan.VMRequest{Address: vm.Address, Action: r.Action, Host: r.TargetHost, Live: r.Live, Reason: r.Action + " requested by " + who}
	if err := e.checkRequest(ctx, s, vm, req); err != nil {
		return nil, err
	}
	if vm.ManagedBy == OwnerAPI && r.Action != plan.RequestRestart {
		return e.actAPI(ctx, s, who, vm, r)
	}
	sp, err := e.loadSpec(s)
	if err != nil {
		return nil, err
	}
	if err := specAllows(sp, s, vm.Address, r); err != nil {
		return nil, err
	}
	return e.start(&job{space: s, who: who, op: r.Action, prepare: func(ctx context.Context, sess *session) (*operation.Planned, error) {
		if err := specAllows(sess.Spec, s, vm.Address, r); err != nil {
			return nil, err
		}
		p, diags := sess.PlanRequest(ctx, req)
		if diags.HasErrors() {
			return nil, diagsError(diags, s.w.Dir)
		}
		return p, nil
	}})
}

// checkAction checks an action request's own values.
func checkAction(r ActionRequest) error {
	switch r.Action {
	case plan.RequestStart, plan.RequestStop, plan.RequestRestart:
		return nil
	case plan.RequestMigrate:
		if r.TargetHost == "" {
			return &InvalidError{Message: "migrate needs target_host"}
		}
		return nil
	}
	return &InvalidError{Message: fmt.Sprintf("%q is not an action: use start, stop, restart or migrate", r.Action)}
}

// managed returns the workspace and the VM an API id names, which a
// workspace must manage.
func (e *Estate) managed(id string) (*space, *VM, error) {
	vm, err := e.GetVM(context.Background(), id)
	if err != nil {
		return nil, nil, err
	}
	if vm.Address == "" {
		return nil, nil, &ConflictError{Message: fmt.Sprintf("VM %s is not managed by NovaCron: import it into a workspace's spec to act on it", id)}
	}
	s, err := e.space(vm.Workspace)
	return s, vm, err
}

// loadSpec loads a workspace's spec as its runs do, for checking a
// request before it is queued.
func (e *Estate) loadSpec(s *space) (*spec.Spec, error) {
	w := *s.w
	sp, diags := w.LoadSpec(workspace.SpecOptions{Env: e.env})
	if diags.HasErrors() {
		return nil, &ConflictError{Message: fmt.Sprintf("the spec of workspace %s does not load, so nothing can be done to its VMs: %s", s.name, diagText(diags))}
	}
	return sp, nil
}

// specAllows refuses an action that contradicts what the spec wants of
// the VM at addr, naming the block that owns it.
func specAllows(sp *spec.Spec, s *space, addr string, r ActionRequest) error {
	inst := instanceOf(sp, addr)
	if inst == nil {
		return &ConflictError{Message: fmt.Sprintf("%s is no longer in the spec of workspace %s: plan and apply the workspace, which deletes it", addr, s.name)}
	}
	why := contradiction(inst, r)
	if why == "" {
		return nil
	}
	return &ConflictError{Message: fmt.Sprintf("%s is managed by %s, which %s; change the spec and apply it instead", addr, ownerOf(inst.Fleet, s), why)}
}

func instanceOf(sp *spec.Spec, addr string) *spec.Instance {
	fleet := fleetOf(addr)
	for _, f := range sp.Fleets {
		if f.Address() != fleet {
			continue
		}
		for _, inst := range f.Instances {
			if inst.Address == addr {
				return inst
			}
		}
	}
	return nil
}

// contradiction says what the spec wants that the action would undo; ""
// when the spec allows it (or ignores the attribute).
func contradiction(inst *spec.Instance, r ActionRequest) string {
	lc := inst.Fleet.Lifecycle
	running := inst.Power != driver.PowerStopped
	switch {
	case r.Action == plan.RequestMigrate && inst.Host != "" && inst.Host != r.TargetHost && !lc.Ignores("host"):
		return fmt.Sprintf("pins it to host %s", inst.Host)
	case r.Action == plan.RequestMigrate || lc.Ignores("power"):
		return ""
	case r.Action == plan.RequestStop && running:
		return `wants it running (power = "running")`
	case r.Action != plan.RequestStop && !running:
		return `wants it stopped (power = "stopped")`
	}
	return ""
}

// checkRequest plans the request against the state and the last inventory
// read, refusing what the engine would refuse before a run is queued: a
// host the provider does not have is an *InvalidError, anything else a
// *ConflictError. The run plans it again against the live inventory,
// through engine/operation as every run does (with the drivers' prices),
// so this pre-check needs none: its plan is dropped, only its errors kept.
func (e *Estate) checkRequest(ctx context.Context, s *space, vm *VM, req plan.VMRequest) error {
	inv := s.cached()
	if inv == nil {
		return nil
	}
	if req.Action == plan.RequestMigrate && !hasHost(inv.invs[vm.Provider], req.Host) {
		return &InvalidError{Message: fmt.Sprintf("provider %s has no host %q", vm.Provider, req.Host)}
	}
	st, err := s.w.Store.Read(ctx)
	if err != nil {
		return err
	}
	_, diags := plan.PlanRequest(plan.Input{State: st, Inventories: inv.invs, Capabilities: inv.caps}, req)
	if diags.HasErrors() {
		return &ConflictError{Message: strings.TrimSuffix(diagText(diags), ".")}
	}
	return nil
}

func hasHost(inv driver.Inventory, host string) bool {
	for _, h := range inv.Hosts {
		if h.Name == host {
			return true
		}
	}
	return false
}
