package spec

import (
	"math/big"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// evalAs evaluates an expression and converts it to ty. It reports a
// diagnostic and returns false for an error, a null, or a value of the wrong
// type. Marked (sensitive) values are returned marked.
func (d *decoder) evalAs(expr hcl.Expression, ctx *hcl.EvalContext, name string, ty cty.Type) (cty.Value, bool) {
	v, diags := expr.Value(ctx)
	d.diags = append(d.diags, diags...)
	if diags.HasErrors() || !d.checkSize(v, expr.Range()) {
		return cty.NilVal, false
	}
	if v.IsNull() {
		d.errorf(expr.Range().Ptr(), "Invalid value", "The attribute %q must not be null.", name)
		return cty.NilVal, false
	}
	cv, err := convert.Convert(v, ty)
	if err != nil {
		d.errorf(expr.Range().Ptr(), "Incorrect value type",
			"Inappropriate value for attribute %q: %s.", name, convertError(err, ty, v.ContainsMarked()))
		return cty.NilVal, false
	}
	return cv, true
}

// evalPlain is evalAs for attributes that are shown in plain text (rollout,
// lifecycle, placement, descriptions): a sensitive value is refused.
func (d *decoder) evalPlain(expr hcl.Expression, ctx *hcl.EvalContext, name string, ty cty.Type) (cty.Value, bool) {
	v, ok := d.evalAs(expr, ctx, name, ty)
	if ok && v.ContainsMarked() {
		d.errorf(expr.Range().Ptr(), "Sensitive value not allowed",
			"The attribute %q must not depend on a sensitive value: it is shown in plain text.", name)
		return cty.NilVal, false
	}
	return v, ok
}

// convertError says why a value does not convert to ty. cty's message can
// quote map keys, so for a sensitive value it says only what was required.
func convertError(err error, ty cty.Type, secret bool) string {
	if ty.IsPrimitiveType() || secret {
		return ty.FriendlyName() + " required"
	}
	return err.Error()
}

// optString decodes an optional constant string attribute.
func (d *decoder) optString(attr *hcl.Attribute, out *string) {
	if attr == nil {
		return
	}
	if v, ok := d.evalPlain(attr.Expr, d.evalContext(), attr.Name, cty.String); ok {
		*out = v.AsString()
	}
}

// optBool decodes an optional bool attribute.
func (d *decoder) optBool(attr *hcl.Attribute, out *bool) {
	if attr == nil {
		return
	}
	if v, ok := d.evalPlain(attr.Expr, d.evalContext(), attr.Name, cty.Bool); ok {
		*out = v.True()
	}
}

// wholeNumber converts a number value to an int in [lo, hi], reporting a
// diagnostic on expr otherwise; with secret set, the diagnostic does not
// show the value.
func (d *decoder) wholeNumber(v cty.Value, expr hcl.Expression, name string, lo, hi int64, secret bool) (int64, bool) {
	bf := v.AsBigFloat()
	got := func() string { return shown(bf.Text('g', -1), secret) } // only for errors: Text is slow
	if !bf.IsInt() {
		d.errorf(expr.Range().Ptr(), "Invalid value", "The attribute %q must be a whole number, not %s.", name, got())
		return 0, false
	}
	n, acc := bf.Int64() // not Exact: beyond int64, so out of range too
	if acc != big.Exact || n < lo || n > hi {
		d.errorf(expr.Range().Ptr(), "Value out of range", "The attribute %q must be between %d and %d; got %s.", name, lo, hi, got())
		return 0, false
	}
	return n, true
}
