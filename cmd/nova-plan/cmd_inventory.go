package main

import (
	"fmt"
	"io"
	"text/tabwriter"
)

func runInventory(args []string, e *env) int {
	var pf planFlags
	fs := newFlags("inventory", "", e)
	pf.vars.register(fs)
	lockTimeoutFlag(fs, &pf.lockTimeout)
	pf.backend.register(fs)
	asJSON := fs.Bool("json", false, "print JSON (docs/json-format.md)")
	fs.BoolVar(&pf.noColor, "no-color", false, "do not color the output")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	u := newUI(e, pf.noColor)
	if fs.NArg() > 0 {
		return u.errorf("inventory takes no arguments; use -chdir=DIR to list the VMs of another folder's providers")
	}
	intr := interrupts(u)
	defer intr.done()
	ctx := intr.ctx
	sess := begin(ctx, u, "inventory", &pf, e, nil)
	if sess == nil {
		return 1
	}
	defer closeSession(u, sess)
	invs, diags := sess.Inventory(ctx)
	if u.diagnostics(diags) {
		return 1
	}
	rows := inventoryRows(invs, sess.State)
	if *asJSON {
		return exitOn(u, writeJSON(e.stdout, jsonInventory{FormatVersion: JSONFormatVersion, VMs: rows}))
	}
	return exitOn(u, renderInventory(e.stdout, rows))
}

// renderInventory writes the inventory as a table; every value from a
// provider is a cell, quoted when it is not plain.
func renderInventory(w io.Writer, rows []jsonInventoryVM) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PROVIDER\tID\tNAME\tHOST\tCPU\tMEMORY_GB\tPOWER\tADDRESS")
	for _, r := range rows {
		addr := r.Address
		switch {
		case r.OwnerLineage != "":
			addr = fmt.Sprintf("(lineage %s: %s)", r.OwnerLineage, r.OwnerAddress)
		case addr == "":
			addr = "(unmanaged)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%g\t%s\t%s\n", cell(r.Provider), cell(r.ID), cell(r.Name), cell(r.Host), r.CPU, r.MemoryGB, cell(r.Power), printable(addr, false))
	}
	return tw.Flush()
}
