package spec

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/novacron/novacron/engine/addrs"
)

// Moved is a `moved` block: the VMs the state records at From are the
// spec's VMs at To (as Terraform's moved block says of resources). A whole
// fleet moves each VM to the same key in To's fleet. A move whose From the
// state does not record does nothing: moved blocks stay in the spec after
// they were applied. The plan resolves chains (a → b, b → c).
type Moved struct {
	From, To           addrs.Endpoint
	DeclRange          hcl.Range
	FromRange, ToRange hcl.Range
	// InModule is true for a block written inside a module: it applies to
	// every instance of the module, and one VM's move checks its
	// destination only where the state records its source (the plan's).
	InModule bool
}

// Removed is a `removed` block: the VMs the state records at From are no
// longer the spec's. With Destroy (the default) they are deleted, as if
// their block had only been deleted; without it they are forgotten: the
// state drops them and this workspace never adopts them again.
type Removed struct {
	From         addrs.Endpoint
	Destroy      bool
	DeclRange    hcl.Range
	FromRange    hcl.Range
	DestroyRange hcl.Range // the lifecycle's destroy, when set
}

var movedSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "from", Required: true}, {Name: "to", Required: true}},
}

var removedSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "from", Required: true}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "lifecycle"}},
}

var removedLifecycleSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "destroy"}},
}

// decodeMovedBlocks decodes every moved and removed block, once the fleets
// are expanded, and checks them against the spec and each other.
func (d *decoder) decodeMovedBlocks(moved, removed []*hcl.Block) {
	failed := d.diags.HasErrors() // a fleet that failed to decode would read as undeclared
	// In a module, addresses are the module's: each instance of it moves
	// (or removes) what is inside that instance. The root checks every
	// block, its own and its modules', against the whole spec.
	for _, b := range moved {
		if m, ok := d.decodeMoved(b); ok {
			d.spec.Moves = append(d.spec.Moves, m)
		}
	}
	for _, b := range removed {
		if r, ok := d.decodeRemoved(b); ok {
			d.spec.Removed = append(d.spec.Removed, r)
		}
	}
	if failed || d.mod != nil {
		return
	}
	d.checkMoves()
	d.checkRemoved()
}

func (d *decoder) decodeMoved(b *hcl.Block) (*Moved, bool) {
	content, diags := b.Body.Content(movedSchema)
	d.diags = append(d.diags, diags...)
	if diags.HasErrors() {
		return nil, false
	}
	from, to := content.Attributes["from"], content.Attributes["to"]
	m := &Moved{DeclRange: b.DefRange, FromRange: from.Expr.Range(), ToRange: to.Expr.Range(), InModule: d.mod != nil}
	var okFrom, okTo bool
	m.From, okFrom = d.endpoint(from.Expr, "from")
	m.To, okTo = d.endpoint(to.Expr, "to")
	if !okFrom || !okTo {
		return nil, false
	}
	return m, d.checkMoveShape(m)
}

func (d *decoder) decodeRemoved(b *hcl.Block) (*Removed, bool) {
	content, diags := b.Body.Content(removedSchema)
	d.diags = append(d.diags, diags...)
	if diags.HasErrors() {
		return nil, false
	}
	from := content.Attributes["from"]
	r := &Removed{Destroy: true, DeclRange: b.DefRange, FromRange: from.Expr.Range()}
	var ok bool
	if r.From, ok = d.endpoint(from.Expr, "from"); !ok {
		return nil, false
	}
	for i, lb := range content.Blocks {
		if i > 0 {
			d.errorf(lb.DefRange.Ptr(), "Duplicate lifecycle block", "A removed block takes one lifecycle block; the first is at %s.", content.Blocks[0].DefRange)
			return nil, false
		}
		lc, diags := lb.Body.Content(removedLifecycleSchema)
		d.diags = append(d.diags, diags...)
		if a := lc.Attributes["destroy"]; a != nil {
			r.DestroyRange = a.Expr.Range()
			v, ok := d.evalPlain(a.Expr, d.evalContext(), "destroy", cty.Bool)
			if !ok {
				return nil, false
			}
			r.Destroy = v.True()
		}
	}
	return r, true
}

// endpoint reads from or to: a static reference, read as an HCL traversal
// by engine/addrs.
func (d *decoder) endpoint(expr hcl.Expression, what string) (addrs.Endpoint, bool) {
	t, diags := hcl.AbsTraversalForExpr(expr)
	if diags.HasErrors() {
		d.errorf(expr.Range().Ptr(), "Invalid address",
			"%s must be a static reference to a VM, a fleet or a module, without quotes: fleet.NAME, fleet.NAME[INDEX], fleet.NAME[\"KEY\"], vm.NAME or module.NAME, each after a module path.", what)
		return addrs.Endpoint{}, false
	}
	e, diags := addrs.ParseEndpoint(t, what)
	d.diags = append(d.diags, diags...)
	return e.In(d.path()), !diags.HasErrors()
}
