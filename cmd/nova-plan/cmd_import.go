package main

import (
	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/engine/operation"
	"github.com/novacron/novacron/engine/workspace"
)

// runImport adopts one VM into an address of the spec, as Terraform's
// import command does: it plans the adopt alone (the same checks as an
// import block), shows it, and applies it without asking; the next plan
// shows whatever else would make the VM match the spec.
func runImport(args []string, e *env) int {
	var pf planFlags
	fs := newFlags("import", "ADDRESS ID", e)
	pf.vars.register(fs)
	lockTimeoutFlag(fs, &pf.lockTimeout)
	pf.backend.register(fs)
	fs.BoolVar(&pf.noColor, "no-color", false, "do not color the output")
	force := fs.Bool("force", false, "take over a VM that carries another workspace's ownership marker")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	u := newUI(e, pf.noColor)
	if fs.NArg() != 2 {
		return u.errorf("import needs the address to import into and the VM's id on its provider, such as: nova-plan import fleet.web[0] vm-000123")
	}
	addr, id := fs.Arg(0), fs.Arg(1)
	intr := interrupts(u)
	defer intr.done()
	ctx := intr.ctx
	sess := begin(ctx, u, "import", &pf, e, nil)
	if sess == nil {
		return 1
	}
	defer closeSession(u, sess)
	p, diags := sess.PlanImport(ctx, addr, id, *force)
	if u.diagnostics(diags) {
		return 1
	}
	u.renderPlan(e.stdout, p.Plan)
	if !intr.applying() {
		u.diagnostics(operation.Interrupted())
		return 1
	}
	prog := newProgress(u, len(p.Changes))
	res, err := sess.Apply(ctx, p, workspace.ApplyOptions{Operation: "import", Parallelism: 1, Events: prog.event, Stop: intr.stop})
	prog.finish()
	if err != nil && res == nil {
		return u.errorf("%s", workspace.Message(err))
	}
	u.diagnostics(operation.OutcomeDiagnostics(sess.Spec, p.Plan, res))
	if err != nil {
		return u.errorf("State not saved: %s", workspace.Message(err))
	}
	switch {
	case res.Interrupted && res.Count(exec.Succeeded) == 0:
		u.printf("\n%s Nothing was imported.\n", u.paint(bold+yellow, "Import interrupted."))
		return 1
	case !res.OK():
		u.printf("\n%s\n", u.paint(bold+red, "Import failed."))
		return 1
	}
	c := p.Changes[0]
	u.printf("\n%s %s now manages VM %s (%s). Run `nova-plan plan` to see what else would make it match the spec.\n",
		u.paint(bold+green, "Import successful!"), printable(c.Address, false), cell(c.ID), quoted(c.Before.Name))
	return 0
}
