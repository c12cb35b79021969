package spec

import (
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/novacron/novacron/internal/lazyregexp"
)

// MaxInstances bounds count and for_each.
const MaxInstances = 100000

// instanceKey identifies one instance before its attributes are known.
type instanceKey struct {
	index int
	key   string
	each  cty.Value
}

// expand evaluates count or for_each and then each instance's attributes.
func (d *decoder) expand(f *Fleet, attrs hcl.Attributes) {
	count, forEach := attrs["count"], attrs["for_each"]
	if count != nil && forEach != nil {
		d.errorf(forEach.NameRange.Ptr(), "Both count and for_each", "A fleet takes count or for_each, not both.")
		return
	}
	n, keys := 1, []instanceKey(nil) // keys: for_each's, or nil for count.index 0 … n-1
	switch {
	case count != nil:
		if n = d.countOf(count); n < 0 {
			return
		}
	case forEach != nil:
		if keys = d.forEachKeys(forEach); keys == nil {
			return
		}
		n, f.ForEach = len(keys), true
	}
	rng := f.DeclRange
	if a := cmpAttr(count, forEach); a != nil {
		rng = a.Expr.Range()
	}
	if !d.spendVMs(f, rng, n) {
		return
	}
	before := len(d.diags)
	d.checkRepetitionRefs(f, attrs, count != nil, forEach != nil)
	if d.diags[before:].HasErrors() {
		return // errors of earlier blocks must not hide this one's
	}
	ev := newInstanceEval(d, attrs, count != nil, forEach != nil)
	if n == 0 {
		ev.checkStatic(f) // count = 0 must not hide cpu = 0
	}
	insts := make([]Instance, n) // one allocation for the fleet's instances
	f.Instances = make([]*Instance, 0, n)
	prefix := f.Address()
	for i := range n {
		k := instanceKey{index: i}
		if keys != nil {
			k = keys[i]
		}
		inst := &insts[i]
		inst.Fleet, inst.Index, inst.Key = f, k.index, k.key
		inst.Address = instanceAddress(f, prefix, count != nil, forEach != nil, k.index, k.key)
		if !ev.fill(inst, k) {
			return // one instance's errors stand for all of them
		}
		f.Instances = append(f.Instances, inst)
	}
}

// countOf evaluates count; it returns -1 after reporting an error.
func (d *decoder) countOf(a *hcl.Attribute) int {
	v, ok := d.evalAs(a.Expr, d.evalContext(), "count", cty.Number)
	if !ok {
		return -1
	}
	if v.IsMarked() {
		d.errorf(a.Expr.Range().Ptr(), "Sensitive value in count", "count must not depend on a sensitive value: it shows in every address.")
		return -1
	}
	n, ok := d.wholeNumber(v, a.Expr, "count", 0, MaxInstances, false)
	if !ok {
		return -1
	}
	return int(n)
}

func (d *decoder) forEachKeys(a *hcl.Attribute) []instanceKey {
	v, diags := a.Expr.Value(d.evalContext())
	d.diags = append(d.diags, diags...)
	if diags.HasErrors() || !d.checkSize(v, a.Expr.Range()) {
		return nil
	}
	if v.IsNull() || v.ContainsMarked() {
		d.errorf(a.Expr.Range().Ptr(), "Invalid for_each", "for_each must be a map, or a set of strings, that is not null and not sensitive.")
		return nil
	}
	ty := v.Type()
	isMap := ty.IsMapType() || ty.IsObjectType()
	isStrings := (ty.IsSetType() || ty.IsListType() || ty.IsTupleType()) && allStrings(v)
	if !isMap && !isStrings {
		d.errorf(a.Expr.Range().Ptr(), "Invalid for_each",
			"for_each must be a map, or a set of strings (toset([…])); got %s.", ty.FriendlyName())
		return nil
	}
	keys := []instanceKey{}
	seen := map[string]bool{}
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		key := ""
		if isStrings { // a set or list of strings: each.key is the string
			key = e.AsString()
		} else {
			key = k.AsString()
		}
		if !seen[key] {
			seen[key] = true
			keys = append(keys, instanceKey{index: len(keys), key: key, each: e})
		}
	}
	if len(keys) > MaxInstances {
		d.errorf(a.Expr.Range().Ptr(), "Too many instances", "for_each gives %d instances; at most %d are allowed.", len(keys), MaxInstances)
		return nil
	}
	return keys
}

func allStrings(v cty.Value) bool {
	for it := v.ElementIterator(); it.Next(); {
		if _, e := it.Element(); e.IsNull() || !e.Type().Equals(cty.String) {
			return false
		}
	}
	return true
}

// checkRepetitionRefs reports count.* or each.* used where they mean nothing.
func (d *decoder) checkRepetitionRefs(f *Fleet, attrs hcl.Attributes, counted, keyed bool) {
	for _, name := range instanceAttrs {
		a := attrs[name]
		if a == nil {
			continue
		}
		for _, tr := range a.Expr.Variables() {
			switch {
			case tr.RootName() == "count" && !counted:
				d.errorf(tr.SourceRange().Ptr(), `Reference to "count" without count`, "count.index is only available in a fleet that sets count.")
			case tr.RootName() == "each" && !keyed:
				d.errorf(tr.SourceRange().Ptr(), `Reference to "each" without for_each`, "each.key and each.value are only available in a fleet that sets for_each.")
			}
		}
	}
}

// VMNameRe is the rule for VM names: 1 to 63 letters, digits, dots, dashes
// and underscores, starting with a letter or digit.
var VMNameRe = lazyregexp.New(`^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$`)

// validVMName reports whether VMNameRe matches s, without the regexp's
// cost: it is asked once per instance (TestValidVMName holds the two to
// the same answers).
func validVMName(s string) bool {
	if len(s) == 0 || len(s) > 63 || !isAlnum(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '.' && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func defaultName(f *Fleet, k instanceKey, counted, keyed bool) string {
	switch {
	case keyed:
		return f.Name + "-" + k.key
	case counted:
		b := append(make([]byte, 0, len(f.Name)+21), f.Name...)
		return string(strconv.AppendInt(append(b, '-'), int64(k.index), 10))
	default:
		return f.Name
	}
}
