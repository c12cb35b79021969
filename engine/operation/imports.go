package operation

import (
	"context"
	"errors"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
)

// errNoImports is the error of an import of no VMs.
var errNoImports = errors.New("no VM was named to import")

// Import is one VM to adopt into an address the spec declares.
type Import struct {
	Address addrs.Instance
	ID      string // the live VM's id
}

// PlanImport plans the adopt of the VM with id into the spec's address
// addr, and nothing else (`nova-plan import ADDRESS ID`). force takes over
// a VM that carries another lineage's marker.
func (o *Operation) PlanImport(ctx context.Context, addr addrs.Instance, id string, force bool) (*Planned, hcl.Diagnostics) {
	invs, diags := o.Inventory(ctx)
	if diags.HasErrors() {
		return nil, diags
	}
	p, ds := o.PlanImportWith(invs, []Import{{Address: addr, ID: id}}, force)
	return p, append(diags, ds...)
}

// PlanImportWith is PlanImport of several VMs against inventories already
// read: one adopt per import, each checked as PlanImport checks it (the
// Terraform provider's import of a whole fleet), ordered in one plan.
// Every adopt writes the operation's marker on its VM when applied. Each
// import is diffed on its own, so the work grows with imports × inventory.
func (o *Operation) PlanImportWith(invs map[string]driver.Inventory, imports []Import, force bool) (*Planned, hcl.Diagnostics) {
	in := o.input(invs)
	in.ForceImport = force
	var all *plan.Plan
	var diags hcl.Diagnostics
	for _, imp := range imports {
		in.Imports = []*spec.Import{{Address: imp.Address.String(), ID: imp.ID}}
		p, ds := plan.DiffImport(in)
		diags = append(diags, ds...)
		switch {
		case p == nil:
		case all == nil:
			all = p
		default:
			all.Changes = append(all.Changes, p.Changes...)
		}
	}
	if all == nil && !diags.HasErrors() {
		return nil, append(diags, errorDiag("Nothing to import", errNoImports)...)
	}
	return o.finish(all, invs, diags)
}
