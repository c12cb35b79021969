package addrs

import (
	"fmt"
	"math/big"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// endpointForms closes errors about an endpoint's overall shape.
const endpointForms = `write fleet.NAME, fleet.NAME[INDEX], fleet.NAME["KEY"], vm.NAME or module.NAME, each after a module path (module.NAME.fleet.NAME)`

// ParseEndpoint reads a reference written in HCL, such as the from and to
// of a `moved` block: fleet.NAME, fleet.NAME[INDEX], fleet.NAME["KEY"] or
// vm.NAME, each after an optional module path (module.web.fleet.app[0]),
// or a module path alone (module.web, module.web["prod"]), as a static
// traversal (no expression, no interpolation). The diagnostic points at
// the part that is wrong; what names the setting.
func ParseEndpoint(t hcl.Traversal, what string) (Endpoint, hcl.Diagnostics) {
	bad := func(r hcl.Range, reason string) (Endpoint, hcl.Diagnostics) {
		return Endpoint{}, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid address",
			Detail:   fmt.Sprintf("%s must be a VM, fleet or module address: %s.", what, reason),
			Subject:  r.Ptr(),
		}}
	}
	if len(t) < 2 {
		return bad(t.SourceRange(), endpointForms)
	}
	mod, rest, r, reason := traversalModule(t)
	if reason != "" {
		return bad(r, reason)
	}
	if len(rest) == 0 {
		return Endpoint{module: mod, isModule: true, Whole: mod.lastKey().IsNone()}, nil
	}
	f := Fleet{Module: mod}
	switch stepName(rest[0]) {
	case "fleet":
		f.Kind = KindFleet
	case "vm":
		f.Kind = KindVM
	default:
		return bad(rest[0].SourceRange(), fmt.Sprintf("it starts with %s, not fleet, vm or module: %s", stepName(rest[0]), endpointForms))
	}
	if len(rest) < 2 {
		return bad(rest[0].SourceRange(), "a fleet or vm name follows the dot")
	}
	name, ok := rest[1].(hcl.TraverseAttr)
	if !ok || !ValidName(name.Name) {
		return bad(rest[1].SourceRange(), "a fleet or vm name follows the dot (a letter, then letters, digits, '_' or '-')")
	}
	f.Name = name.Name
	switch {
	case len(rest) == 2:
		return Endpoint{Instance: f.Instance(NoKey), Whole: f.Kind == KindFleet}, nil
	case len(rest) > 3:
		return bad(rest[3].SourceRange(), "the address must end after the index or key")
	case f.Kind == KindVM:
		return bad(rest[2].SourceRange(), fmt.Sprintf("a vm block has a single instance, so its address takes no index or key (%s)", f))
	}
	k, reason := traversalKey(rest[2])
	if reason != "" {
		return bad(rest[2].SourceRange(), reason)
	}
	return Endpoint{Instance: f.Instance(k)}, nil
}

// traversalModule reads the module steps that start t (module.NAME, with
// an optional [INDEX] or ["KEY"], any number of times), and returns their
// path and the rest of t; or where and why they are wrong.
func traversalModule(t hcl.Traversal) (Module, hcl.Traversal, hcl.Range, string) {
	var m Module
	for len(t) > 0 && stepName(t[0]) == "module" {
		if len(t) < 2 {
			return Module{}, nil, t[0].SourceRange(), "a module name follows module."
		}
		name, ok := t[1].(hcl.TraverseAttr)
		if !ok || !ValidName(name.Name) {
			return Module{}, nil, t[1].SourceRange(), "a module name follows the dot (a letter, then letters, digits, '_' or '-')"
		}
		if m.Depth() >= maxModuleSteps {
			return Module{}, nil, t[0].SourceRange(), fmt.Sprintf("a module path has at most %d steps", maxModuleSteps)
		}
		k, n := NoKey, 2
		if len(t) > 2 {
			if _, isIndex := t[2].(hcl.TraverseIndex); isIndex {
				var reason string
				if k, reason = traversalKey(t[2]); reason != "" {
					return Module{}, nil, t[2].SourceRange(), reason
				}
				n = 3
			}
		}
		m = m.Child(name.Name, k)
		t = t[n:]
	}
	return m, t, hcl.Range{}, ""
}

// maxModuleSteps bounds a module path in an address; engine/spec's
// MaxModuleDepth, which is smaller, refuses what a spec cannot declare.
const maxModuleSteps = 64

// stepName is the name a root or attribute step reads, "" for an index.
func stepName(s hcl.Traverser) string {
	switch s := s.(type) {
	case hcl.TraverseRoot:
		return s.Name
	case hcl.TraverseAttr:
		return s.Name
	}
	return ""
}

// traversalKey reads [INDEX] or ["KEY"].
func traversalKey(step hcl.Traverser) (Key, string) {
	idx, ok := step.(hcl.TraverseIndex)
	if !ok {
		return Key{}, `an index [0] or a key ["a"] follows the name`
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
