package spec

import (
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// DriftRules is a drift block: the attribute paths `nova-plan drift` does
// not report as drift. A top-level block applies to every fleet; a fleet's
// or vm's own block adds to it.
type DriftRules struct {
	// Ignore holds attribute paths: name, cpu, memory_gb, disk_gb, power, host,
	// template, tags (every tag), or tags.KEY (one tag).
	Ignore []string
}

// Ignores reports whether drift of path (an attribute name, or tags.KEY)
// is ignored.
func (r DriftRules) Ignores(path string) bool {
	for _, p := range r.Ignore {
		if p == path || p == "tags" && strings.HasPrefix(path, "tags.") {
			return true
		}
	}
	return false
}

// DriftAttributes are the attribute names a drift ignore rule accepts,
// besides tags.KEY.
var DriftAttributes = []string{"name", "cpu", "memory_gb", "disk_gb", "power", "host", "template", "tags"}

var driftSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "ignore", Required: true}},
}

// decodeDriftBlocks reads the top-level drift blocks (one at most).
func (d *decoder) decodeDriftBlocks(bs []*hcl.Block) {
	for i, b := range bs {
		if i > 0 {
			d.errorf(b.DefRange.Ptr(), "Duplicate drift block", "Only one top-level drift block is allowed; the first is at %s.", bs[0].DefRange)
			continue
		}
		d.spec.Drift = d.decodeDrift(b)
	}
}

// decodeDrift reads `drift { ignore = ["tags.owner", "power"] }`, refusing
// each path that names no attribute at its own range.
func (d *decoder) decodeDrift(b *hcl.Block) DriftRules {
	var r DriftRules
	content, diags := b.Body.Content(driftSchema)
	d.diags = append(d.diags, diags...)
	a := content.Attributes["ignore"]
	if a == nil {
		return r
	}
	exprs, diags := hcl.ExprList(a.Expr)
	d.diags = append(d.diags, diags...)
	for _, e := range exprs {
		v, ok := d.evalPlain(e, d.evalContext(), "ignore", cty.String)
		if !ok {
			continue
		}
		path := v.AsString()
		if !validDriftPath(path) {
			d.errorf(e.Range().Ptr(), "Invalid drift ignore path",
				"%q names no attribute drift reports. Give one of %s, or tags.KEY for one tag.", path, strings.Join(DriftAttributes, ", "))
			continue
		}
		r.Ignore = append(r.Ignore, path)
	}
	return r
}

func validDriftPath(p string) bool {
	if key, ok := strings.CutPrefix(p, "tags."); ok {
		return key != ""
	}
	return slices.Contains(DriftAttributes, p)
}
