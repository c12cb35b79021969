package spec

import (
	"github.com/hashicorp/hcl/v2"
)

// hiddenDetail replaces the detail of a diagnostic about an expression that
// uses a sensitive value.
const hiddenDetail = "The detail is not shown: the expression uses a sensitive value, which it could quote."

// hideSensitive withholds the detail of every diagnostic whose expression
// uses a sensitive value. hcl reports a failed function call with the
// function's own message, which often quotes its argument (parseint,
// regex, jsondecode…); no such message may show a secret.
func hideSensitive(diags hcl.Diagnostics) {
	for _, d := range diags {
		if d.Expression != nil && d.EvalContext != nil && usesSensitive(d.Expression, d.EvalContext) {
			d.Detail = hiddenDetail
		}
	}
}

// usesSensitive reports whether a variable or local that expr refers to
// holds a sensitive value.
func usesSensitive(expr hcl.Expression, ctx *hcl.EvalContext) bool {
	for _, tr := range expr.Variables() {
		if tr.RootName() == "module" {
			if moduleRefSensitive(tr, ctx) {
				return true
			}
			continue
		}
		if len(tr) > 2 {
			tr = tr[:2] // var.NAME, local.NAME: what the rest indexes into
		}
		if v, diags := tr.TraverseAbs(ctx); !diags.HasErrors() && v.ContainsMarked() {
			return true
		}
	}
	return false
}

// moduleRefSensitive reports whether a reference to a module's outputs
// uses a sensitive one: the value it names, when it names one, holds a
// sensitive value; when it names none (module.a.nope), the longest part
// that does is itself sensitive. An object of outputs one of which is
// sensitive is not: the mistake is elsewhere.
func moduleRefSensitive(tr hcl.Traversal, ctx *hcl.EvalContext) bool {
	for n := len(tr); n > 0; n-- {
		v, diags := tr[:n].TraverseAbs(ctx)
		if diags.HasErrors() {
			continue
		}
		if n == len(tr) {
			return v.ContainsMarked()
		}
		return v.IsMarked()
	}
	return false
}
