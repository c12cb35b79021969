package spec

import (
	"fmt"

	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// Functions returns the functions available in spec expressions: the usual
// Terraform-named set, from go-cty's stdlib and hcl's try/can, held to the
// evaluation budget (functions_budget.go).
func Functions() map[string]function.Function {
	fs := map[string]function.Function{}
	for name, f := range plainFunctions() {
		fs[name] = budgeted(f, estimators[name])
	}
	// try and can take their arguments as expressions, not values, and
	// return one of them: nothing to hold to the budget.
	fs["try"], fs["can"] = tryfunc.TryFunc, tryfunc.CanFunc
	return fs
}

// estimators bound, before they run, the results of the functions whose
// one call can build much more than their arguments hold.
var estimators = map[string]estimator{
	"concat": sumOf, "merge": sumOf, "setunion": sumOf, "flatten": sumOf,
	"setproduct": setProductSize, "join": joinSize, "format": formatSize,
	"formatlist": formatListSize, "indent": indentSize, "replace": replaceSize,
	"split": splitSize, "csvdecode": csvSize, "jsondecode": jsonDecodeSize,
	"jsonencode": jsonEncodeSize, "regexall": regexAllSize,
}

func plainFunctions() map[string]function.Function {
	return map[string]function.Function{
		"abs": stdlib.AbsoluteFunc, "ceil": stdlib.CeilFunc,
		"chomp": stdlib.ChompFunc, "chunklist": stdlib.ChunklistFunc,
		"coalesce": stdlib.CoalesceFunc, "coalescelist": stdlib.CoalesceListFunc,
		"compact": stdlib.CompactFunc, "concat": stdlib.ConcatFunc,
		"contains": stdlib.ContainsFunc, "csvdecode": stdlib.CSVDecodeFunc,
		"distinct": stdlib.DistinctFunc, "element": stdlib.ElementFunc,
		"flatten": stdlib.FlattenFunc, "floor": stdlib.FloorFunc,
		"format": stdlib.FormatFunc, "formatdate": stdlib.FormatDateFunc,
		"formatlist": stdlib.FormatListFunc, "indent": stdlib.IndentFunc,
		"index": indexFunc, "join": stdlib.JoinFunc,
		"jsondecode": jsonDecodeFunc, "jsonencode": stdlib.JSONEncodeFunc,
		"keys": stdlib.KeysFunc, "length": lengthFunc, "log": stdlib.LogFunc,
		"lookup": stdlib.LookupFunc, "lower": stdlib.LowerFunc, "max": stdlib.MaxFunc,
		"merge": stdlib.MergeFunc, "min": stdlib.MinFunc, "parseint": stdlib.ParseIntFunc,
		"pow": stdlib.PowFunc, "range": stdlib.RangeFunc, "regex": stdlib.RegexFunc,
		"regexall": stdlib.RegexAllFunc, "replace": stdlib.ReplaceFunc,
		"reverse": stdlib.ReverseListFunc, "setintersection": stdlib.SetIntersectionFunc,
		"setproduct": stdlib.SetProductFunc, "setsubtract": stdlib.SetSubtractFunc,
		"setunion": stdlib.SetUnionFunc, "signum": stdlib.SignumFunc,
		"slice": stdlib.SliceFunc, "sort": stdlib.SortFunc, "split": stdlib.SplitFunc,
		"strlen": stdlib.StrlenFunc, "strrev": stdlib.ReverseFunc,
		"substr": stdlib.SubstrFunc, "timeadd": stdlib.TimeAddFunc,
		"title": stdlib.TitleFunc, "trim": stdlib.TrimFunc,
		"trimprefix": stdlib.TrimPrefixFunc, "trimspace": stdlib.TrimSpaceFunc,
		"trimsuffix": stdlib.TrimSuffixFunc,
		"upper":      stdlib.UpperFunc, "values": stdlib.ValuesFunc, "zipmap": stdlib.ZipmapFunc,
		"tostring": stdlib.MakeToFunc(cty.String), "tonumber": stdlib.MakeToFunc(cty.Number),
		"tobool": stdlib.MakeToFunc(cty.Bool), "tolist": stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"toset": stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)), "tomap": stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
	}
}

// indexFunc is Terraform's index(list, value): the position of the first
// element of list equal to value. (go-cty's stdlib.IndexFunc is another
// function: the element at a key, which Terraform calls element.)
var indexFunc = function.New(&function.Spec{
	Description: "Returns the index of the first element of the list that is equal to the value.",
	Params: []function.Parameter{
		{Name: "list", Type: cty.DynamicPseudoType},
		{Name: "value", Type: cty.DynamicPseudoType},
	},
	Type: function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		list, value := args[0], args[1]
		if ty := list.Type(); !ty.IsListType() && !ty.IsTupleType() {
			return cty.NilVal, function.NewArgErrorf(0, "index needs a list or tuple, not %s", ty.FriendlyName())
		}
		if !list.IsKnown() {
			return cty.UnknownVal(cty.Number), nil
		}
		if list.IsNull() {
			return cty.NilVal, function.NewArgErrorf(0, "the list is null")
		}
		for it := list.ElementIterator(); it.Next(); {
			i, e := it.Element()
			eq := e.Equals(value) // as ==: values of different types differ
			if !eq.IsKnown() {
				return cty.UnknownVal(cty.Number), nil
			}
			if eq.True() {
				return i, nil
			}
		}
		return cty.NilVal, function.NewArgErrorf(1, "the list has no element equal to this value")
	},
})

// lengthFunc is Terraform's length: the number of elements of a collection,
// or of characters of a string.
var lengthFunc = function.New(&function.Spec{
	Params: []function.Parameter{{
		Name: "value", Type: cty.DynamicPseudoType, AllowMarked: true, AllowDynamicType: true,
	}},
	Type: function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v, marks := args[0].Unmark()
		var n cty.Value
		var err error
		switch ty := v.Type(); {
		case ty == cty.String:
			n, err = stdlib.Strlen(v)
		case ty.IsObjectType() && v.IsKnown() && !v.IsNull():
			n = cty.NumberIntVal(int64(len(ty.AttributeTypes())))
		default:
			n, err = stdlib.Length(v)
		}
		return n.WithMarks(marks), err
	},
})

// jsonDecodeFunc is jsondecode refusing JSON that nests deeper than
// MaxNesting: a short string of brackets would otherwise build values so
// deep that converting and comparing them takes seconds and gigabytes.
var jsonDecodeFunc = function.New(&function.Spec{
	Params: stdlib.JSONDecodeFunc.Params(),
	Type: func(args []cty.Value) (cty.Type, error) {
		if args[0].IsKnown() && !args[0].IsNull() && jsonTooDeep(args[0].AsString()) {
			return cty.NilType, function.NewArgError(0, fmt.Errorf("the JSON nests more than %d levels deep", MaxNesting))
		}
		return stdlib.JSONDecodeFunc.ReturnTypeForValues(args)
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return stdlib.JSONDecodeFunc.Call(args)
	},
})

// jsonTooDeep reports whether JSON text opens more than MaxNesting arrays
// and objects at once.
func jsonTooDeep(s string) bool {
	depth, inString := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case inString:
		case c == '[' || c == '{':
			if depth++; depth > MaxNesting {
				return true
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return false
}
