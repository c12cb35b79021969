package spec

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// The evaluation budget: the largest value an expression may produce. A
// spec is small, but its values need not be: 39 locals that each double
// the one before describe 2^39 bytes, and setproduct of three ranges a
// billion elements. Every value is checked as it is produced (each local,
// variable, attribute and output, each part of a string template, each
// element of a for expression) and functions that could build a larger one
// refuse before they allocate it, so evaluation stops with a diagnostic at
// the expression, long before memory runs out.
const (
	// MaxValueBytes is the most bytes of string one value may hold, all
	// its strings (and map keys) together: 16 MiB.
	MaxValueBytes = 16 << 20
	// MaxValueElements is the most elements one value may hold, all its
	// collections (lists, sets, maps, tuples, objects) together.
	MaxValueElements = 1_000_000
)

// valueSize is what a value holds: bytes of string and elements.
type valueSize struct{ bytes, elems int }

func (s valueSize) over() bool { return s.bytes > MaxValueBytes || s.elems > MaxValueElements }

func (s valueSize) add(o valueSize) valueSize {
	return valueSize{bytes: s.bytes + o.bytes, elems: s.elems + o.elems}
}

// sizeOf measures v, the strings and elements of every level. It stops as
// soon as the total passes the budget: the caller only needs to know that,
// and a value may share one large element many times over.
func sizeOf(v cty.Value) valueSize {
	var s valueSize
	measure(v, &s)
	return s
}

func measure(v cty.Value, s *valueSize) {
	v, _ = v.Unmark()
	if s.over() || !v.IsKnown() || v.IsNull() {
		return
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		s.bytes += len(v.AsString())
	case ty.IsMapType() || ty.IsObjectType():
		for it := v.ElementIterator(); it.Next() && !s.over(); {
			k, e := it.Element()
			s.elems++
			s.bytes += len(k.AsString())
			measure(e, s)
		}
	case v.CanIterateElements():
		for it := v.ElementIterator(); it.Next() && !s.over(); {
			_, e := it.Element()
			s.elems++
			measure(e, s)
		}
	}
}

// tooLarge is the diagnostic of a value past the budget, at rng.
func tooLarge(rng hcl.Range, s valueSize) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Value too large",
		Detail:   budgetDetail(s),
		Subject:  rng.Ptr(),
	}
}

// budgetDetail says which limit a value of size s passes.
func budgetDetail(s valueSize) string {
	return fmt.Sprintf("This value holds %s; a value in a spec may hold at most %s, all its parts together. "+
		"A spec describes VMs: a value this large is almost always a mistake, such as a local value that doubles another.",
		s.past(), budgetText)
}

// budgetText is the budget in words.
var budgetText = fmt.Sprintf("%d MiB of text and %s elements", MaxValueBytes>>20, thousands(MaxValueElements))

// past says which limit s passes: "more than 16 MiB of text".
func (s valueSize) past() string {
	if s.bytes > MaxValueBytes {
		return fmt.Sprintf("more than %d MiB of text", MaxValueBytes>>20)
	}
	return "more than " + thousands(MaxValueElements) + " elements"
}

// thousands writes n with commas: 1,000,000.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// checkSize reports v, produced by the expression at rng, when it is past
// the budget; it returns false then.
func (d *decoder) checkSize(v cty.Value, rng hcl.Range) bool {
	if s := sizeOf(v); s.over() {
		d.diags = append(d.diags, tooLarge(rng, s))
		return false
	}
	return true
}
