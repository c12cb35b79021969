package spec

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// Functions are held to the evaluation budget (budget.go) in two ways.
// Every function's result is measured before it is returned, so no chain
// of calls grows a value past the budget a step at a time. And the
// functions whose one call can build a result many times larger than their
// arguments (setproduct, concat, join, format, replace, split, jsondecode…)
// first estimate that result from their arguments, and refuse before they
// allocate it.

// estimator returns an upper bound (or a close estimate) of the size of
// a function's result, from its arguments, which are known (and may be
// marked: the helpers below unmark each level they read).
type estimator func(args []cty.Value) valueSize

// budgeted returns f held to the budget: est (when not nil) is checked
// before f runs, and the result after.
func budgeted(f function.Function, est estimator) function.Function {
	return function.New(&function.Spec{
		Description: f.Description(),
		Params:      f.Params(),
		VarParam:    f.VarParam(),
		// The estimate runs with the type check, which comes first: some
		// functions (csvdecode, jsondecode) parse their argument for it.
		Type: func(args []cty.Value) (cty.Type, error) {
			if est != nil && allKnown(args) {
				if s := est(args); s.over() {
					return cty.NilType, errOverBudget(s)
				}
			}
			return f.ReturnTypeForValues(args)
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			v, err := f.Call(args)
			if err != nil {
				return v, err
			}
			if s := sizeOf(v); s.over() {
				return cty.NilVal, errOverBudget(s)
			}
			return v, nil
		},
	})
}

func errOverBudget(s valueSize) error {
	return fmt.Errorf("the result would hold %s, past the limit of a value in a spec (%s)", s.past(), budgetText)
}

func allKnown(args []cty.Value) bool {
	for _, a := range args {
		if !a.IsWhollyKnown() {
			return false
		}
	}
	return true
}

// sumOf is the size of all the arguments together: what concat, merge,
// setunion and flatten can make of them at most.
func sumOf(args []cty.Value) valueSize {
	var s valueSize
	for _, a := range args {
		if s = s.add(sizeOf(a)); s.over() {
			break
		}
	}
	return s
}

// lengthOf is the number of elements of a collection, 0 for null.
func lengthOf(v cty.Value) int {
	v, _ = v.Unmark()
	if v.IsNull() || !v.CanIterateElements() {
		return 0
	}
	return v.LengthInt()
}

// setProductSize: the product of the sets' lengths, each element a tuple
// of one element per set.
func setProductSize(args []cty.Value) valueSize {
	n := 1
	for _, a := range args {
		l := lengthOf(a)
		if l != 0 && n > (MaxValueElements+1)/l {
			return valueSize{elems: MaxValueElements + 1}
		}
		n *= l
	}
	return valueSize{elems: n * (len(args) + 1)}
}

// joinSize: every string of the lists, and a separator between each two.
func joinSize(args []cty.Value) valueSize {
	if len(args) == 0 {
		return valueSize{}
	}
	s, n := sumOf(args[1:]), 0
	for _, l := range args[1:] {
		n += lengthOf(l)
	}
	if n > 1 {
		s.bytes += len(strString(args[0])) * (n - 1)
	}
	return valueSize{bytes: s.bytes}
}

// formatSize bounds format's result: the format's text, and for each verb
// the largest argument at the widest width the format names.
func formatSize(args []cty.Value) valueSize {
	if len(args) == 0 {
		return valueSize{}
	}
	format := strString(args[0])
	widest := 0
	for _, a := range args[1:] {
		widest = max(widest, textSize(a))
	}
	return valueSize{bytes: len(format) + verbs(format)*(widest+widestNumber(format))}
}

// formatListSize bounds formatlist's: one format per element of the
// longest list argument, each taking one element of every list.
func formatListSize(args []cty.Value) valueSize {
	if len(args) == 0 {
		return valueSize{}
	}
	format := strString(args[0])
	n, scalar, listText := 1, 0, 0
	for _, a := range args[1:] {
		if ty := a.Type(); ty.IsListType() || ty.IsTupleType() || ty.IsSetType() {
			n = max(n, lengthOf(a))
			listText += textSize(a)
			continue
		}
		scalar = max(scalar, textSize(a))
	}
	perItem := len(format) + verbs(format)*(scalar+widestNumber(format))
	if n > 0 && perItem > (MaxValueBytes+1)/n {
		return valueSize{bytes: MaxValueBytes + 1}
	}
	return valueSize{bytes: n*perItem + verbs(format)*listText, elems: n}
}

// textSize is how much text a value can make when formatted: its strings,
// and a few characters of punctuation per element.
func textSize(v cty.Value) int {
	s := sizeOf(v)
	return s.bytes + 4*s.elems + 32 // 32: a number or a bool
}

// verbs counts the % of a format, an upper bound of its verbs.
func verbs(format string) int { return strings.Count(format, "%") }

// widestNumber is the largest number written in a format (a width or a
// precision such as %999999999d), capped past the budget.
func widestNumber(format string) int {
	widest, n := 0, 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c < '0' || c > '9' {
			n = 0
			continue
		}
		if n = n*10 + int(c-'0'); n > MaxValueBytes {
			return MaxValueBytes + 1
		}
		widest = max(widest, n)
	}
	return widest
}

// indentSize: the string with the indent added to each line after the first.
func indentSize(args []cty.Value) valueSize {
	n, _ := args[0].Unmark()
	spaces, _ := n.AsBigFloat().Int64()
	str := strString(args[1])
	lines := int64(strings.Count(str, "\n"))
	if spaces < 0 || (lines > 0 && spaces > int64(MaxValueBytes)/lines) {
		return valueSize{bytes: MaxValueBytes + 1}
	}
	return valueSize{bytes: len(str) + int(spaces*lines)}
}

// replaceSize: each occurrence of substr (between every character when it
// is empty) becomes the replacement.
func replaceSize(args []cty.Value) valueSize {
	str, sub, repl := strString(args[0]), strString(args[1]), strString(args[2])
	n := strings.Count(str, sub)
	if grow := len(repl) - len(sub); grow > 0 && n > (MaxValueBytes+1)/grow {
		return valueSize{bytes: MaxValueBytes + 1}
	} else if grow > 0 {
		return valueSize{bytes: len(str) + n*grow}
	}
	return valueSize{bytes: len(str)}
}

// splitSize: one element per separator, and one more (per character when
// the separator is empty).
func splitSize(args []cty.Value) valueSize {
	sep, str := strString(args[0]), strString(args[1])
	return valueSize{bytes: len(str), elems: strings.Count(str, sep) + 1}
}

// csvSize: at most one element per field and one per row.
func csvSize(args []cty.Value) valueSize {
	str := strString(args[0])
	return valueSize{bytes: len(str), elems: strings.Count(str, ",") + 2*strings.Count(str, "\n") + 2}
}

// jsonDecodeSize: at most one element per comma, colon or opening bracket
// outside strings, and one more.
func jsonDecodeSize(args []cty.Value) valueSize {
	str := strString(args[0])
	elems, inString := 1, false
	for i := 0; i < len(str); i++ {
		switch c := str[i]; {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case !inString && (c == ',' || c == ':' || c == '[' || c == '{'):
			elems++
		}
	}
	return valueSize{bytes: len(str), elems: elems}
}

// jsonEncodeSize: each string as JSON escapes it (up to six bytes a byte),
// and the punctuation of each element.
func jsonEncodeSize(args []cty.Value) valueSize {
	var s valueSize
	encodedSize(args[0], &s)
	return valueSize{bytes: s.bytes + 4*s.elems}
}

func encodedSize(v cty.Value, s *valueSize) {
	v, _ = v.Unmark()
	if s.over() || v.IsNull() {
		return
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		s.bytes += escapedLen(v.AsString())
	case ty == cty.Number || ty == cty.Bool:
		s.bytes += 32
	case v.CanIterateElements():
		for it := v.ElementIterator(); it.Next() && !s.over(); {
			k, e := it.Element()
			s.elems++
			if k.Type() == cty.String {
				s.bytes += escapedLen(k.AsString())
			}
			encodedSize(e, s)
		}
	}
}

// escapedLen is the length of s as a JSON string, counting generously:
// Go's encoder writes control characters and <, >, & as \u00XX.
func escapedLen(s string) int {
	n := 2
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c == '<' || c == '>' || c == '&':
			n += 6
		case c == '"' || c == '\\':
			n += 2
		default:
			n++
		}
	}
	return n
}

// strString is a string argument, or "" when it is not one (the function
// then reports the type error itself).
func strString(v cty.Value) string {
	v, _ = v.Unmark()
	if v.IsNull() || v.Type() != cty.String {
		return ""
	}
	return v.AsString()
}

// regexAllSize: one element per match, and one per capture group of each.
// The matches are counted, up to one more than the budget allows.
func regexAllSize(args []cty.Value) valueSize {
	re, err := regexp.Compile(strString(args[0]))
	if err != nil {
		return valueSize{} // regexall reports it
	}
	per := 1 + re.NumSubexp()
	n := len(re.FindAllStringIndex(strString(args[1]), MaxValueElements/per+1))
	return valueSize{elems: n * per}
}
