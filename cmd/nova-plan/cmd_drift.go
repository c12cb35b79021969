package main

func runDrift(args []string, e *env) int {
	var pf planFlags
	fs := newFlags("drift", "", e)
	pf.vars.register(fs)
	lockTimeoutFlag(fs, &pf.lockTimeout)
	pf.backend.register(fs)
	fs.BoolVar(&pf.noColor, "no-color", false, "do not color the output")
	asJSON := fs.Bool("json", false, "print the drift as JSON (docs/json-format.md)")
	detailed := fs.Bool("detailed-exitcode", false, "exit 0 with no drift, 1 on error, 2 with drift")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	u := newUI(e, pf.noColor)
	if fs.NArg() > 0 {
		return u.errorf("drift takes no arguments; use -chdir=DIR to check another folder")
	}
	intr := interrupts(u)
	defer intr.done()
	ctx := intr.ctx
	// drift takes the lock as plan does: it compares the state with the
	// VMs, which only agree when no apply is changing both (docs/cli.md).
	sess := begin(ctx, u, "drift", &pf, e, nil)
	if sess == nil {
		return 1
	}
	defer closeSession(u, sess)
	d, diags := sess.Drift(ctx)
	if u.diagnostics(diags) {
		return 1
	}
	if *asJSON {
		if err := writeJSON(e.stdout, driftJSON(d)); err != nil {
			return u.errorf("%v", err)
		}
	} else if err := u.renderDrift(e.stdout, d); err != nil {
		return u.errorf("%v", err)
	}
	if *detailed && d.Drifted() {
		return 2
	}
	return 0
}
