package addrs

import (
	"fmt"
	"math/big"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Endpoint is what a `moved` or `removed` block's from or to names: a
// whole fleet (fleet.web: every VM of it, whatever its key) or one VM
// (fleet.web[2], fleet.web["a"], vm.db-01).
type Endpoint struct {
	Instance Instance // the VM; for a whole fleet, the fleet's NoKey instance
	Whole    bool     // a fleet address without an index or key
}

// String is the endpoint in its canonical form: fleet.web, fleet.web[2].
func (e Endpoint) String() string {
	if e.Whole {
		return e.Instance.Fleet().String()
	}
	return e.Instance.String()
}

// Contains reports whether the VM at a is one the endpoint names.
func (e Endpoint) Contains(a Instance) bool {
	if e.Whole {
		return a.Fleet() == e.Instance.Fleet()
	}
	return a == e.Instance
}

// endpointForms closes errors about an endpoint's overall shape: moves
// name the root spec's fleets and VMs (not yet a module's).
const endpointForms = `write fleet.NAME, fleet.NAME[INDEX], fleet.NAME["KEY"] or vm.NAME`

// ParseEndpoint reads a reference written in HCL, such as the from and to
// of a `moved` block: fleet.NAME, fleet.NAME[INDEX], fleet.NAME["KEY"] or
// vm.NAME, as a static traversal (no expression, no interpolation). The
// diagnostic points at the part that is wrong; what names the setting.
func ParseEndpoint(t hcl.Traversal, what string) (Endpoint, hcl.Diagnostics) {
	bad := func(r hcl.Range, reason string) (Endpoint, hcl.Diagnostics) {
		return Endpoint{}, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid address",
			Detail:   fmt.Sprintf("%s must be a VM or fleet address: %s.", what, reason),
			Subject:  r.Ptr(),
		}}
	}
	if len(t) < 2 {
		return bad(t.SourceRange(), endpointForms)
	}
	var f Fleet
	switch t.RootName() {
	case "fleet":
		f.Kind = KindFleet
	case "vm":
		f.Kind = KindVM
	case "module":
		return bad(t[0].SourceRange(), "moving VMs into or out of a module is not supported yet: from and to name fleets and VMs of the spec's own folder")
	default:
		return bad(t[0].SourceRange(), fmt.Sprintf("it starts with %s, not fleet or vm: %s", t.RootName(), endpointForms))
	}
	name, ok := t[1].(hcl.TraverseAttr)
	if !ok || !ValidName(name.Name) {
		return bad(t[1].SourceRange(), "a fleet or vm name follows the dot (a letter, then letters, digits, '_' or '-')")
	}
	f.Name = name.Name
	switch {
	case len(t) == 2:
		return Endpoint{Instance: f.Instance(NoKey), Whole: f.Kind == KindFleet}, nil
	case len(t) > 3:
		return bad(t[3].SourceRange(), "the address must end after the index or key")
	case f.Kind == KindVM:
		return bad(t[2].SourceRange(), fmt.Sprintf("a vm block has a single instance, so its address takes no index or key (%s)", f))
	}
	k, reason := traversalKey(t[2])
	if reason != "" {
		return bad(t[2].SourceRange(), reason)
	}
	return Endpoint{Instance: f.Instance(k)}, nil
}

// traversalKey reads [INDEX] or ["KEY"].
func traversalKey(step hcl.Traverser) (Key, string) {
	idx, ok := step.(hcl.TraverseIndex)
	if !ok {
		return Key{}, `an index [0] or a key ["a"] follows the fleet's name`
	}
	v := idx.Key
	switch {
	case v.IsNull() || !v.IsKnown():
		return Key{}, "the index or key has no value"
	case v.Type() == cty.String:
		return StringKey(v.AsString()), ""
	case v.Type() != cty.Number:
		return Key{}, `the index must be a whole number or the key a quoted string`
	}
	bf := v.AsBigFloat()
	n, acc := bf.Int64()
	if bf.IsInt() && bf.Sign() > 0 && (acc != big.Exact || n > 1<<31-1) {
		return Key{}, fmt.Sprintf("the index %s is too large: an index is at most %d", bf.Text('f', -1), 1<<31-1)
	}
	if acc != big.Exact || n < 0 || n > 1<<31-1 {
		return Key{}, fmt.Sprintf("the index %s is not a whole number from 0 up", bf.Text('f', -1))
	}
	return IntKey(int(n)), ""
}
