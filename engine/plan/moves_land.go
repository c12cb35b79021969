package plan

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/spec"
)

// A moved block that lands a VM on an address the spec does not declare
// makes a move that ends in a delete: legal (the spec may drop a fleet a
// block renamed), but rarely meant, so the plan warns at the block. A
// block written inside a module that moves one VM is checked here rather
// than by the spec: each instance of the module declares its own keys, and
// only an instance whose state records the VM must declare where it goes.

// land notes the move of f to the address to, refusing a module's
// one-VM move to an address its instance does not declare.
func (d *differ) land(f recorded, to string) {
	mv := f.first
	if mv == nil || d.in.Destroy || d.wanted()[to] != nil {
		return
	}
	if mv.InModule && !mv.To.Whole && !mv.To.IsModule() {
		d.errorf(mv.ToRange.Ptr(), "Move to an undeclared address",
			"The moved block at %s moves %s, which the state records, to %s, an address the spec does not declare in that module instance. A move's destination must be declared in the spec.",
			mv.DeclRange, f.addr, to)
		return
	}
	if d.moves.undeclared == nil {
		d.moves.undeclared = map[*spec.Moved][]string{}
	}
	if d.moves.undeclared[mv] == nil {
		d.moves.landBlocks = append(d.moves.landBlocks, mv)
	}
	d.moves.undeclared[mv] = append(d.moves.undeclared[mv], f.addr+" → "+to)
}

// warnLandings warns, once per moved block, of the VMs it moves to
// addresses the spec does not declare.
func (d *differ) warnLandings() {
	const shown = 5
	for _, mv := range d.moves.landBlocks {
		moved := d.moves.undeclared[mv]
		list := strings.Join(moved[:min(len(moved), shown)], ", ")
		if len(moved) > shown {
			list += fmt.Sprintf(" and %d more", len(moved)-shown)
		}
		d.diags = append(d.diags, &hcl.Diagnostic{
			Severity: hcl.DiagWarning, Summary: "Moved to an undeclared address", Subject: mv.DeclRange.Ptr(),
			Detail: fmt.Sprintf("The moved block at %s moves %d VM(s) to addresses the spec does not declare (%s): each is deleted there. If the VMs should stay, declare those addresses or move them elsewhere; if they should go, a removed block says so.",
				mv.DeclRange, len(moved), list),
		})
	}
}
