package spec

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// A string template and a for expression build one value from many: the
// template concatenates its parts, the for expression collects an element
// per iteration. Both are inside hcl, so a template that repeats a 16 MiB
// local a hundred times, or a for expression over a million elements that
// each make a new string, would allocate gigabytes before anything could
// check the result. boundExpressions makes them count as they go: each
// part of a template, and each key and value a for expression produces,
// passes through a counter that stops the expression with a diagnostic once
// it is past the budget (MaxValueBytes, MaxValueElements), and makes the
// parts after that evaluate to nothing.

// boundExpressions wraps the parts of every template and for expression
// of a parsed file in counters. It is idempotent: hclparse returns a file
// parsed before (a variable file given twice) as it was.
func boundExpressions(f *hcl.File) {
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return
	}
	hclsyntax.VisitAll(body, func(n hclsyntax.Node) hcl.Diagnostics {
		switch e := n.(type) {
		case *hclsyntax.TemplateExpr:
			boundTemplate(e)
		case *hclsyntax.ForExpr:
			boundFor(e)
		}
		return nil
	})
}

// tally is what one template or for expression has produced so far in its
// current evaluation. A spec is evaluated by one goroutine (its decoder,
// then EvalOutputs), so a tally needs no lock.
type tally struct {
	base valueSize // what the template's literal text holds
	size valueSize
	rng  hcl.Range // the whole expression, where a diagnostic points
}

// role is what a counted expression is to the expression it is part of.
type role int

const (
	collection role = iota // a for expression's collection: the tally starts again
	firstPart              // a template's first counted part: the tally starts again, and it counts
	part                   // a template's other parts, a for expression's keys: they count
	element                // a for expression's values: they count, one element each
)

// counted is one part of a template, or the collection, key or value of a
// for expression, with the tally it counts into. It embeds a
// ParenthesesExpr so that hcl's walks (Variables, for one) see through it to
// the part, as they see through parentheses.
type counted struct {
	*hclsyntax.ParenthesesExpr
	t    *tally
	role role
}

func wrap(e hclsyntax.Expression, t *tally, r role) hclsyntax.Expression {
	if e == nil {
		return nil
	}
	if _, done := e.(*counted); done {
		return e
	}
	return &counted{ParenthesesExpr: &hclsyntax.ParenthesesExpr{Expression: e, SrcRange: e.Range()}, t: t, role: r}
}

func boundTemplate(e *hclsyntax.TemplateExpr) {
	t := &tally{rng: e.SrcRange}
	r := firstPart
	for i, p := range e.Parts {
		if lit, ok := p.(*hclsyntax.LiteralValueExpr); ok {
			t.base = t.base.add(sizeOf(lit.Val))
			continue
		}
		e.Parts[i] = wrap(p, t, r)
		r = part
	}
}

func boundFor(e *hclsyntax.ForExpr) {
	t := &tally{rng: e.SrcRange}
	e.CollExpr = wrap(e.CollExpr, t, collection)
	e.KeyExpr = wrap(e.KeyExpr, t, part)
	e.ValExpr = wrap(e.ValExpr, t, element)
}

// Value evaluates the part and counts what it produced. Once the tally is
// past the budget, the part is not evaluated at all: the expression has
// failed, and evaluating what is left of it could take long.
func (c *counted) Value(ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	switch c.role {
	case collection:
		c.t.size = c.t.base
		return c.Expression.Value(ctx)
	case firstPart:
		c.t.size = c.t.base
	}
	if c.t.size.over() {
		return cty.DynamicVal, nil
	}
	v, diags := c.Expression.Value(ctx)
	c.t.size = c.t.size.add(sizeOf(v))
	if c.role == element {
		c.t.size.elems++
	}
	if c.t.size.over() {
		return cty.DynamicVal, append(diags, tooLarge(c.t.rng, c.t.size))
	}
	return v, diags
}
