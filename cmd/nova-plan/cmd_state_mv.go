package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/engine/operation"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/engine/workspace"
	"github.com/novacron/novacron/state"
)

// stateMv moves a VM, or every VM of a fleet, to another address: in the
// state and in each VM's ownership marker.
func stateMv(args []string, e *env) int {
	var pf planFlags
	fs := newFlags("state mv", "SOURCE DESTINATION", e)
	pf.vars.register(fs)
	lockTimeoutFlag(fs, &pf.lockTimeout)
	pf.backend.register(fs)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	u := newUI(e, false)
	if fs.NArg() != 2 {
		return u.errorf("state mv needs the address to move and the address to move it to, such as: nova-plan state mv fleet.web fleet.frontend")
	}
	if err := moduleDepthOK(fs.Arg(1)); err != nil {
		return u.errorf("Cannot move %s to %s: %v", printable(fs.Arg(0), false), printable(fs.Arg(1), false), err)
	}
	intr := interrupts(u)
	defer intr.done()
	ctx := intr.ctx
	sess := begin(ctx, u, "state mv", &pf, e, nil)
	if sess == nil {
		return 1
	}
	defer closeSession(u, sess)
	moves, err := workspace.Moves(sess.State, fs.Arg(0), fs.Arg(1))
	if err != nil {
		return u.stateError("Cannot move "+printable(fs.Arg(0), false), err)
	}
	p, diags := sess.PlanMove(ctx, moves)
	if u.diagnostics(diags) {
		return 1
	}
	if !intr.applying() {
		u.diagnostics(operation.Interrupted())
		return 1
	}
	res, err := sess.Move(ctx, p, workspace.MoveOptions{Stop: intr.stop})
	if err != nil && res == nil {
		return u.errorf("%s", workspace.Message(err))
	}
	code := reportMoves(u, p.Plan, res, sess.Workspace().Name)
	if err != nil {
		return u.errorf("State not saved: %s", workspace.Message(err))
	}
	if code == 0 {
		u.diagnostics(nextPlanOfMove(sess.Spec, moves))
	}
	return code
}

// reportMoves prints a line per VM moved, and an error per VM that was
// not.
func reportMoves(u *ui, p *plan.Plan, res *exec.Result, ws string) int {
	for i, c := range p.Changes {
		if res.Outcomes[i].Status == exec.Succeeded {
			u.printf("Moved %s to %s (VM %s).\n", printable(c.MovedFrom, false), printable(c.Address, false), cell(c.ID))
		}
	}
	if res.OK() {
		return 0
	}
	var diags hcl.Diagnostics
	for i, c := range p.Changes {
		o := res.Outcomes[i]
		why := "it was not started: the command was interrupted"
		switch {
		case o.Status == exec.Succeeded:
			continue
		case o.Status == exec.Failed:
			why = fmt.Sprintf("rewriting its ownership marker failed after %s: %s", plural(o.Attempts, "attempt"), workspace.Message(o.Err))
		case res.StateErr != nil:
			why = "it was not started: the state could not be saved"
		}
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError,
			Summary: fmt.Sprintf("%s was not moved to %s", c.MovedFrom, c.Address),
			Detail:  spec.Sentence(fmt.Sprintf("VM %s: %s", c.ID, why))})
	}
	left := firstLeft(p, res)
	diags = append(diags, warning("Not every VM was moved", spec.Sentence(fmt.Sprintf(
		"%s stayed at the old address: the state records it there, so the next plan sees it there. "+
			"Each VM that moved is recorded at its new address, and its marker names that address. "+
			"When the cause is fixed, run `%s` for each VM left, such as `%s`",
		plural(len(p.Changes)-res.Count(exec.Succeeded), "VM"), state.Command(ws, "state mv"),
		state.Command(ws, "state mv "+shellQuote(left.MovedFrom)+" "+shellQuote(left.Address)))))...)
	u.diagnostics(diags)
	return 1
}

func firstLeft(p *plan.Plan, res *exec.Result) *plan.Change {
	for i, c := range p.Changes {
		if res.Outcomes[i].Status != exec.Succeeded {
			return c
		}
	}
	return p.Changes[0]
}

// nextPlanOfMove warns of what the next plan shows when the spec does not
// name the new addresses yet, or still names the old ones.
func nextPlanOfMove(sp *spec.Spec, moves []operation.Move) hcl.Diagnostics {
	var stale, missing []string
	for _, m := range moves {
		if sp.Instance(m.From.String()) != nil {
			stale = appendOnce(stale, specName(sp, m.From))
		}
		if sp.Instance(m.To.String()) == nil {
			missing = appendOnce(missing, specName(sp, m.To))
		}
	}
	var diags hcl.Diagnostics
	if len(missing) > 0 {
		diags = append(diags, warning("The spec does not declare "+listedAddrs(missing),
			"Until it does, the next plan deletes the VMs moved there, as VMs no longer in the spec. Rename the fleet or vm block in the spec to match, "+
				"keeping the VMs' names (a fleet's default name is FLEET-INDEX: set name to keep the old one), then run `nova-plan plan`: it should show no changes.")...)
	}
	if len(stale) > 0 {
		diags = append(diags, warning("The spec still declares "+listedAddrs(stale),
			"The next plan creates new VMs there, since the state no longer records any. Rename the block in the spec to the new address.")...)
	}
	return diags
}

// specName is the fleet of a when the spec does not declare it, else a.
func specName(sp *spec.Spec, a addrs.Instance) string {
	if sp.Fleet(a.Fleet().String()) == nil {
		return a.Fleet().String()
	}
	return a.String()
}

func appendOnce(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// listedAddrs names up to three addresses.
func listedAddrs(as []string) string {
	if len(as) > 3 {
		return strings.Join(as[:3], ", ") + fmt.Sprintf(" and %d more", len(as)-3)
	}
	return strings.Join(as, ", ")
}

// moduleDepthOK refuses a destination inside modules nested deeper than a
// spec can nest them: no module block could ever own the VMs there.
func moduleDepthOK(dst string) error {
	a, err := addrs.ParseInstance(dst)
	if err != nil {
		return nil // the move says what is wrong with it
	}
	if depth := a.Fleet().Module.Depth(); depth > spec.MaxModuleDepth {
		return fmt.Errorf("the destination is %d modules deep, and modules nest at most %d deep, so no spec could declare it", depth, spec.MaxModuleDepth)
	}
	return nil
}
