package spec

import (
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/novacron/novacron/engine/driver"
)

// DefaultDiskGB is the disk size of a VM whose spec sets none.
const DefaultDiskGB = 20

// Ranges of the sizing attributes.
const (
	MaxCPU      = 768
	MaxMemoryGB = 24576
	MaxDiskGB   = 65536
)

var attrTypes = map[string]cty.Type{
	"name": cty.String, "host": cty.String, "cpu": cty.Number, "memory_gb": cty.Number,
	"disk_gb": cty.Number, "power": cty.String, "tags": cty.Map(cty.String),
}

// instanceEval evaluates a fleet's instance attributes: once per fleet
// those that do not refer to count or each (static), and once per instance
// the others. The first instance is filled attribute by attribute; every
// later one starts as a copy of it (proto), so a static attribute is
// checked and converted once, and only the others are evaluated again.
type instanceEval struct {
	d       *decoder
	attrs   hcl.Attributes
	base    *hcl.EvalContext
	static  map[string]evaluated
	dynamic []string // the attributes that refer to count or each, in instanceAttrs order
	counted bool
	keyed   bool
	// dynamicTags is set when tags refers to count or each.
	dynamicTags bool
	// ctx is the child of base that holds count and each, made once and
	// given each instance's values in turn; nil when no attribute uses them.
	ctx   *hcl.EvalContext
	proto *Instance
}

type evaluated struct {
	v  cty.Value
	ok bool
}

func newInstanceEval(d *decoder, attrs hcl.Attributes, counted, keyed bool) *instanceEval {
	e := &instanceEval{d: d, attrs: attrs, base: d.evalContext(), static: map[string]evaluated{}, counted: counted, keyed: keyed}
	for _, name := range instanceAttrs {
		a := attrs[name]
		switch {
		case a == nil:
		case refersToRepetition(a.Expr):
			e.dynamic = append(e.dynamic, name)
			e.dynamicTags = e.dynamicTags || name == "tags"
		default:
			v, ok := d.evalAs(a.Expr, e.base, name, attrTypes[name])
			e.static[name] = evaluated{v, ok}
		}
	}
	if len(e.dynamic) > 0 {
		e.ctx = e.base.NewChild()
		e.ctx.Variables = map[string]cty.Value{}
	}
	return e
}

func refersToRepetition(expr hcl.Expression) bool {
	for _, tr := range expr.Variables() {
		if r := tr.RootName(); r == "count" || r == "each" {
			return true
		}
	}
	return false
}

// checkStatic checks the attributes that do not depend on count or each on
// a throwaway instance, for a fleet that has none.
func (e *instanceEval) checkStatic(f *Fleet) {
	inst := &Instance{Address: f.Address(), Fleet: f, Tags: map[string]string{}}
	for _, name := range instanceAttrs {
		if ev, ok := e.static[name]; ok && ev.ok {
			e.set(inst, name, ev.v, e.attrs[name].Expr)
		}
	}
}

// context is the context of an instance's attributes: base, or ctx holding
// count (for a fleet with count) or each (for a fleet with for_each) when
// an attribute uses them.
func (e *instanceEval) context(k instanceKey) *hcl.EvalContext {
	switch {
	case e.ctx == nil:
		return e.base
	case e.keyed:
		e.ctx.Variables["each"] = cty.ObjectVal(map[string]cty.Value{"key": cty.StringVal(k.key), "value": k.each})
	case e.counted:
		e.ctx.Variables["count"] = cty.ObjectVal(map[string]cty.Value{"index": cty.NumberIntVal(int64(k.index))})
	}
	return e.ctx
}

// fill sets the attributes of inst, whose Address, Fleet, Index and Key are
// set; it returns false after reporting errors.
func (e *instanceEval) fill(inst *Instance, k instanceKey) bool {
	if e.proto == nil {
		if !e.fillFirst(inst, k) {
			return false
		}
		e.proto = inst
		return true
	}
	p := e.proto
	inst.Name, inst.Host, inst.CPU, inst.MemoryMiB, inst.DiskGB, inst.Power = p.Name, p.Host, p.CPU, p.MemoryMiB, p.DiskGB, p.Power
	if !e.dynamicTags {
		inst.Tags = p.Tags // shared and read-only (Instance.Tags); SetTag copies
	}
	ok := true
	if e.attrs["name"] == nil { // a for_each key can make a bad default name
		ok = e.d.setName(inst, defaultName(inst.Fleet, k, e.counted, e.keyed), inst.Fleet.Range("for_each"))
	}
	if len(e.dynamic) == 0 {
		return ok
	}
	ctx := e.context(k)
	if e.dynamicTags {
		inst.Tags = map[string]string{}
	}
	for _, name := range e.dynamic {
		v, evalOK := e.d.evalAs(e.attrs[name].Expr, ctx, name, attrTypes[name])
		ok = evalOK && e.set(inst, name, v, e.attrs[name].Expr) && ok
	}
	return ok
}

// fillFirst fills the first instance attribute by attribute, static and
// per-instance ones in instanceAttrs order.
func (e *instanceEval) fillFirst(inst *Instance, k instanceKey) bool {
	ctx := e.context(k)
	inst.Name = defaultName(inst.Fleet, k, e.counted, e.keyed)
	inst.Power, inst.DiskGB, inst.Tags = driver.PowerRunning, DefaultDiskGB, map[string]string{}
	ok := true
	if e.attrs["name"] == nil { // a for_each key can make a bad default name
		ok = e.d.setName(inst, inst.Name, inst.Fleet.Range("for_each"))
	}
	for _, name := range instanceAttrs {
		a := e.attrs[name]
		if a == nil {
			continue
		}
		ev, isStatic := e.static[name]
		if !isStatic {
			ev.v, ev.ok = e.d.evalAs(a.Expr, ctx, name, attrTypes[name])
		}
		ok = ev.ok && e.set(inst, name, ev.v, a.Expr) && ok
	}
	return ok
}

func (e *instanceEval) set(inst *Instance, name string, v cty.Value, expr hcl.Expression) bool {
	d := e.d
	if v.ContainsMarked() {
		d.errorf(expr.Range().Ptr(), "Sensitive value in a VM attribute",
			"%s would be visible to anyone who can list the provider's VMs, so it cannot come from a sensitive value.", name)
		return false
	}
	switch name {
	case "name":
		return d.setName(inst, v.AsString(), expr.Range())
	case "host":
		if bad := unprintable(v.AsString()); bad != "" {
			d.errorf(expr.Range().Ptr(), "Invalid host", "host %q has %s: a host name is plain text.", v.AsString(), bad)
			return false
		}
		inst.Host = v.AsString()
	case "cpu":
		n, ok := d.wholeNumber(v, expr, name, 1, MaxCPU, false)
		inst.CPU = int(n)
		return ok
	case "memory_gb":
		return d.setMemory(inst, v, expr)
	case "disk_gb":
		n, ok := d.wholeNumber(v, expr, name, 1, MaxDiskGB, false)
		inst.DiskGB = int(n)
		return ok
	case "power":
		inst.Power = driver.Power(v.AsString())
		if !inst.Power.Valid() {
			d.errorf(expr.Range().Ptr(), "Invalid power", "power must be \"running\" or \"stopped\"; got %q.", v.AsString())
			return false
		}
	case "tags":
		return d.setTags(inst, v, expr)
	}
	return true
}

func (d *decoder) setName(inst *Instance, s string, subject hcl.Range) bool {
	if !validVMName(s) {
		d.errorf(subject.Ptr(), "Invalid VM name",
			"%q (for %s) is not a valid VM name: 1 to 63 letters, digits, dots, dashes and underscores, starting with a letter or digit.", s, inst.Address)
		return false
	}
	inst.Name = s
	return true
}

func (d *decoder) setMemory(inst *Instance, v cty.Value, expr hcl.Expression) bool {
	gb := v.AsBigFloat()
	mib := new(big.Float).Mul(gb, big.NewFloat(1024))
	f, _ := gb.Float64()
	switch {
	case f <= 0 || f > MaxMemoryGB:
		d.errorf(expr.Range().Ptr(), "Value out of range", "memory_gb must be more than 0 and at most %d; got %s.", MaxMemoryGB, gb.Text('g', -1))
		return false
	case !mib.IsInt():
		d.errorf(expr.Range().Ptr(), "Invalid value", "memory_gb must be a whole number of MiB (a multiple of 1/1024); got %s.", gb.Text('g', -1))
		return false
	}
	inst.MemoryMiB, _ = mib.Int64()
	return true
}

func (d *decoder) setTags(inst *Instance, v cty.Value, expr hcl.Expression) bool {
	if hasNullElement(v) {
		d.errorf(expr.Range().Ptr(), "Invalid tags", "Tag values must not be null.")
		return false
	}
	for _, k := range slices.Sorted(maps.Keys(v.AsValueMap())) {
		val := v.Index(cty.StringVal(k)).AsString()
		switch {
		case strings.HasPrefix(k, "novacron:") || k == "":
			d.errorf(expr.Range().Ptr(), "Invalid tag key", "Tag key %q is not allowed: keys must be non-empty and the novacron: prefix is reserved for the ownership marker.", k)
			return false
		case unprintable(k) != "":
			d.errorf(expr.Range().Ptr(), "Invalid tag key", "Tag key %q has %s. Tags are stored by the provider (libvirt metadata, cloud tags), which would change or refuse it: use printable text.", k, unprintable(k))
			return false
		case unprintable(val) != "":
			d.errorf(expr.Range().Ptr(), "Invalid tag value", "The value of tag %q has %s. Tags are stored by the provider (libvirt metadata, cloud tags), which would change or refuse it: use printable text.", k, unprintable(val))
			return false
		}
		inst.Tags[k] = val
	}
	return true
}

// unprintable describes the first character of s that is not plain text
// (a control character, including tab and newline, or a byte that is not
// UTF-8), or returns "".
func unprintable(s string) string {
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			return fmt.Sprintf("a byte that is not UTF-8 (0x%02X)", s[i])
		case isControl(r):
			return fmt.Sprintf("the control character U+%04X", r)
		}
	}
	return ""
}
