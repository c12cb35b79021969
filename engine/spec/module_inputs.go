package spec

import (
	"maps"
	"slices"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// assignInputs gives a module's variables the values of the module block's
// arguments, then checks required values and validations as
// assignVariables does for the root.
func (d *decoder) assignInputs() {
	names := slices.Collect(maps.Keys(d.mod.inputs))
	sort.Slice(names, func(i, j int) bool {
		return rangeLess(d.mod.inputs[names[i]].attr.Range, d.mod.inputs[names[j]].attr.Range)
	})
	for _, name := range names {
		in := d.mod.inputs[name]
		v := d.spec.Variables[name]
		if v == nil {
			d.unknownInput(in)
			continue
		}
		val := in.value
		if val.ContainsMarked() {
			val, _ = val.UnmarkDeep()
			if !v.Sensitive {
				v.Sensitive, v.SensitiveReason = true, "its value comes from a sensitive value of the calling module"
			}
		}
		d.setValue(v, hcl.StaticExpr(val, in.attr.Expr.Range()), "module argument")
	}
	for _, decl := range d.varDecls {
		if v := decl.v; v.Source == "" && !v.failed {
			d.errorf(d.mod.call.DefRange.Ptr(), "Missing required argument",
				"%s (folder %s) declares variable %q without a default, at %s, so the module block must set it: add %s = … to the block.",
				d.path(), d.spec.Dir, v.Name, v.DeclRange, v.Name)
			v.failed = true
		}
		d.finishVariable(decl)
	}
}

// unknownInput reports an argument the module declares no variable for.
func (d *decoder) unknownInput(in moduleInput) {
	detail := "%s (folder %s) declares no variable named %q."
	args := []any{d.path(), d.spec.Dir, in.attr.Name}
	if near := closest(in.attr.Name, slices.Collect(maps.Keys(d.spec.Variables))); near != "" {
		detail += " Did you mean %s?"
		args = append(args, near)
	} else {
		detail += " Declare it in the module with a variable %q {} block, or remove the argument."
		args = append(args, in.attr.Name)
	}
	d.errorf(in.attr.NameRange.Ptr(), "Unsupported argument", detail, args...)
}

// reservedVariable reports the names a module's variables may not have:
// the arguments a module block takes besides its inputs, as in Terraform.
func reservedVariable(name string) bool {
	_, unsupported := moduleUnsupported[name]
	return moduleMeta[name] || unsupported
}

// checkModuleRepetitionRefs reports count.index in a module block without
// count, and each.* in one without for_each, as checkRepetitionRefs does
// for fleets; it returns false when it reported one.
func (d *decoder) checkModuleRepetitionRefs(attrs hcl.Attributes, counted, keyed bool) bool {
	ok := true
	for _, a := range sortedAttrs(attrs) {
		if a.Name == "count" || a.Name == "for_each" {
			continue
		}
		for _, tr := range a.Expr.Variables() {
			switch {
			case tr.RootName() == "count" && !counted:
				d.errorf(tr.SourceRange().Ptr(), `Reference to "count" without count`, "count.index is only available in a module block that sets count.")
				ok = false
			case tr.RootName() == "each" && !keyed:
				d.errorf(tr.SourceRange().Ptr(), `Reference to "each" without for_each`, "each.key and each.value are only available in a module block that sets for_each.")
				ok = false
			}
		}
	}
	return ok
}

// valueKind names what a value is, for a message: "null", "a number",
// "a list".
func valueKind(v cty.Value) string {
	ty := v.Type()
	switch {
	case v.IsNull():
		return "null"
	case ty == cty.Number:
		return "a number"
	case ty == cty.Bool:
		return "a bool"
	case ty.IsTupleType() || ty.IsListType() || ty.IsSetType():
		return "a list"
	case ty.IsObjectType() || ty.IsMapType():
		return "an object"
	}
	return "a " + ty.FriendlyName()
}
