package spec

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// EnvPrefix prefixes environment variables that set spec variables.
const EnvPrefix = "NOVA_VAR_"

// sensitiveMark marks values of sensitive variables.
const sensitiveMark = "sensitive"

type varDecl struct {
	v           *Variable
	validations []*hcl.Block
	valueRange  hcl.Range
}

func (d *decoder) decodeVariable(b *hcl.Block) {
	name := b.Labels[0]
	if !validLabel(name) {
		d.errorf(b.LabelRanges[0].Ptr(), "Invalid variable name", "%q is not a valid name: use letters, digits, underscores and dashes, starting with a letter.", name)
		return
	}
	if d.mod != nil && reservedVariable(name) {
		d.errorf(b.LabelRanges[0].Ptr(), "Invalid variable name",
			"The name %q is reserved: a module block's %s argument is a meta-argument, not an input, so a variable of that name in a module could never be set. Choose another name.", name, name)
		return
	}
	if !d.declare("variable", name, b.DefRange) {
		return
	}
	content, diags := b.Body.Content(variableSchema)
	d.diags = append(d.diags, diags...)
	v := &Variable{Name: name, Type: cty.DynamicPseudoType, Default: cty.NilVal, DeclRange: b.DefRange}
	if a := content.Attributes["type"]; a != nil {
		ty, ds := typeexpr.TypeConstraint(a.Expr)
		d.diags = append(d.diags, ds...)
		if !ds.HasErrors() {
			v.Type, v.parseHCL = ty, !ty.IsPrimitiveType()
		}
	}
	d.optString(content.Attributes["description"], &v.Description)
	d.optBool(content.Attributes["sensitive"], &v.Sensitive)
	if reason, fed := d.fed[name]; fed && !v.Sensitive {
		v.Sensitive, v.SensitiveReason = true, reason
	}
	decl := &varDecl{v: v, validations: content.Blocks, valueRange: b.DefRange}
	if a := content.Attributes["default"]; a != nil {
		def, ok := d.convertVar(v, a.Expr)
		v.Default, v.Value, v.Source, v.failed, decl.valueRange = def, def, "default", !ok, a.Expr.Range()
	}
	d.spec.Variables[name] = v
	d.varDecls = append(d.varDecls, decl)
}

// convertVar evaluates a literal value for v (no variables, no functions).
func (d *decoder) convertVar(v *Variable, expr hcl.Expression) (cty.Value, bool) {
	val, diags := expr.Value(nil)
	d.diags = append(d.diags, diags...)
	if diags.HasErrors() {
		return cty.NilVal, false
	}
	cv, err := convert.Convert(val, v.Type)
	if err != nil {
		reason := err.Error()
		if v.Sensitive { // cty's message can quote map keys
			reason = "the value is sensitive, so what does not match is not shown"
		}
		d.errorf(expr.Range().Ptr(), "Invalid value for variable",
			"The value for var.%s is not a %s: %s.", v.Name, v.Type.FriendlyName(), reason)
		return cty.NilVal, false
	}
	return cv, true
}

// assignVariables applies NOVA_VAR_ values, then -var and -var-file in
// order, then checks required values and validations.
func (d *decoder) assignVariables() {
	if d.mod != nil {
		d.assignInputs() // a module's values are its block's arguments
		return
	}
	for _, kv := range d.opts.Env {
		name, raw, ok := strings.Cut(kv, "=")
		if ok && strings.HasPrefix(name, EnvPrefix) {
			name = strings.TrimPrefix(name, EnvPrefix)
			if v := d.spec.Variables[name]; v != nil {
				d.setRaw(v, raw, EnvPrefix+name)
			}
		}
	}
	for name, val := range d.opts.Values {
		if v := d.spec.Variables[name]; v != nil {
			d.setValue(v, hcl.StaticExpr(val, v.DeclRange), "saved plan")
		}
	}
	for _, a := range d.opts.Vars {
		if a.File != "" {
			d.loadVarFile(a.File)
			continue
		}
		v := d.spec.Variables[a.Name]
		if v == nil {
			d.errorf(nil, "Value for undeclared variable",
				"A variable named %q was given with -var, but the spec declares no such variable. Declare it with a variable block.", a.Name)
			continue
		}
		d.setRaw(v, a.Value, "-var")
	}
	for _, decl := range d.varDecls {
		d.finishVariable(decl)
	}
}

// setRaw parses a command-line or environment value: a plain string for a
// primitive type or no type, an HCL expression otherwise (as Terraform does).
func (d *decoder) setRaw(v *Variable, raw, source string) {
	fname := fmt.Sprintf("<value for var.%s>", v.Name)
	shown := []byte(raw)
	if v.Sensitive { // diagnostics print this "file": never the secret
		shown = bytes.Map(func(r rune) rune {
			if r == '\n' {
				return r
			}
			return '*'
		}, shown)
	}
	d.loader.parser.AddFile(fname, &hcl.File{Bytes: shown})
	var expr hcl.Expression
	if !v.parseHCL {
		rng := hcl.Range{Filename: fname, Start: hcl.InitialPos, End: hcl.Pos{Line: 1, Column: len(raw) + 1, Byte: len(raw)}}
		expr = hcl.StaticExpr(cty.StringVal(raw), rng)
	} else {
		diags, _ := checkSource([]byte(raw), fname, true)
		if !diags.HasErrors() {
			var e hcl.Expression
			e, diags = hclsyntax.ParseExpression([]byte(raw), fname, hcl.InitialPos)
			expr = e
		}
		if v.Sensitive {
			hideDetails(diags, v.Name)
		}
		d.diags = append(d.diags, diags...)
		if diags.HasErrors() {
			v.failed = true // reported; not also "no value for required variable"
			return
		}
	}
	d.setValue(v, expr, source)
}

func (d *decoder) setValue(v *Variable, expr hcl.Expression, source string) {
	val, ok := d.convertVar(v, expr)
	if ok && !d.checkSize(val, expr.Range()) {
		ok = false
	}
	if !ok {
		v.failed = true
		return
	}
	v.Value, v.Source, v.failed = val, source, false
	for _, decl := range d.varDecls {
		if decl.v == v {
			decl.valueRange = expr.Range()
		}
	}
}

func (d *decoder) loadVarFile(path string) {
	f, diags := d.loader.parseFile(path)
	d.diags = append(d.diags, diags...)
	if diags.HasErrors() {
		d.maskVarFile(path, nil)
		return
	}
	attrs, diags := f.Body.JustAttributes()
	d.diags = append(d.diags, diags...)
	if diags.HasErrors() {
		attrs = nil
	}
	d.maskVarFile(path, attrs)
	for _, a := range attrs {
		v := d.spec.Variables[a.Name]
		if v == nil {
			d.diags = append(d.diags, &hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  "Value for undeclared variable",
				Detail:   fmt.Sprintf("The file sets %q, but the spec declares no such variable; the value is ignored.", a.Name),
				Subject:  a.NameRange.Ptr(),
			})
			continue
		}
		d.setValue(v, a.Expr, path)
	}
}

func (d *decoder) finishVariable(decl *varDecl) {
	v := decl.v
	if v.failed {
		v.Value = cty.DynamicVal
		return
	}
	if v.Source == "" {
		d.errorf(v.DeclRange.Ptr(), "No value for required variable",
			"The variable %q has no default, so a value is required: use -var '%s=…', -var-file, or the environment variable %s%s.",
			v.Name, v.Name, EnvPrefix, v.Name)
		v.Value = cty.UnknownVal(v.Type)
		return
	}
	for _, vb := range decl.validations {
		d.validateVariable(decl, vb)
	}
	if v.Sensitive {
		v.Value = v.Value.Mark(sensitiveMark)
		d.spec.sensitiveVars = append(d.spec.sensitiveVars, valueTexts(v.Value)...)
	}
}

func (d *decoder) validateVariable(decl *varDecl, vb *hcl.Block) {
	content, diags := vb.Body.Content(validationSchema)
	d.diags = append(d.diags, diags...)
	if diags.HasErrors() {
		return
	}
	val := decl.v.Value
	if decl.v.Sensitive {
		val = val.Mark(sensitiveMark) // so error_message cannot show it
	}
	ctx := &hcl.EvalContext{
		Variables: map[string]cty.Value{"var": cty.ObjectVal(map[string]cty.Value{decl.v.Name: val})},
		Functions: d.funcs,
	}
	cond, ok := d.evalAs(content.Attributes["condition"].Expr, ctx, "condition", cty.Bool)
	if cond, _ = cond.Unmark(); !ok || cond.True() {
		return
	}
	msg, ok := d.evalAs(content.Attributes["error_message"].Expr, ctx, "error_message", cty.String)
	if !ok {
		return
	}
	text := "The error message refers to a sensitive value, so it is not shown."
	if !msg.IsMarked() {
		text = msg.AsString()
	}
	d.diags = append(d.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Invalid value for variable",
		Detail:   fmt.Sprintf("%s\n\nThis was checked by the validation rule at %s.", text, content.Attributes["condition"].Range),
		Subject:  decl.valueRange.Ptr(),
	})
}

// hideDetails withholds the details of diagnostics about a sensitive
// value, which can quote parts of it; the snippet shows only asterisks.
func hideDetails(diags hcl.Diagnostics, name string) {
	for _, d := range diags {
		d.Detail = fmt.Sprintf("var.%s is sensitive, so the detail is not shown; the caret marks the place in its value.", name)
	}
}
