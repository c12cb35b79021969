package spec

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// nameRoots are the reference roots whose attributes are names the spec
// declares, with the words for them in messages.
var nameRoots = map[string]struct{ summary, missing, declare string }{
	"var":    {"Reference to undeclared variable", "No variable named %s is declared.", "Declare it with a variable %q {} block."},
	"local":  {"Reference to undeclared local value", "No local value named %s is declared.", "Declare it in a locals block."},
	"fleet":  {"Reference to undeclared fleet", "No fleet named %s is declared.", "Declare it with a fleet %q {} block."},
	"vm":     {"Reference to undeclared vm", "No vm named %s is declared.", "Declare it with a vm %q {} block."},
	"module": {"Reference to undeclared module", "No module named %s is declared.", "Declare it with a module %q { source = \"./PATH\" } block."},
	"count":  {"Invalid reference to count", "count has no attribute %s.", "Its one attribute is count.index."},
	"each":   {"Invalid reference to each", "each has no attribute %s.", "Its attributes are each.key and each.value."},
}

// explainUnknownNames rewrites HCL's "This object does not have an
// attribute named …" for var.X, local.X, fleet.X, vm.X, count.X and each.X
// into what the user needs to hear: that no such variable (local, fleet,
// …) is declared, and which declared name is close, if one is.
func (d *decoder) explainUnknownNames() {
	for _, diag := range d.diags {
		if explainModuleReference(diag) {
			continue
		}
		if ref, rng, ok := fleetReference(diag); ok {
			ref, rng = d.withDashes(ref, rng)
			diag.Subject = &rng
			diag.Summary = "Fleets cannot be referred to here"
			diag.Detail = fmt.Sprintf("%s refers to a %s, but a fleet's VMs exist only once they are planned, so local values, count, for_each, "+
				"variables, provider and template settings, import ids and the attributes of a fleet cannot refer to fleets or vm blocks. "+
				"Outputs can; depends_on orders one fleet after another.", ref, strings.SplitN(ref, ".", 2)[0])
			continue
		}
		root, name, ok := unknownName(diag)
		if !ok {
			continue
		}
		words := nameRoots[root]
		diag.Summary = words.summary
		diag.Detail = fmt.Sprintf(words.missing, name)
		if near := closest(name, d.declaredNames(root)); near != "" {
			diag.Detail += fmt.Sprintf(" Did you mean %s.%s?", root, near)
		} else if strings.Contains(words.declare, "%q") {
			diag.Detail += " " + fmt.Sprintf(words.declare, name)
		} else {
			diag.Detail += " " + words.declare
		}
	}
}

// unknownName recognizes HCL's unsupported-attribute error on the first
// step of a reference with one of nameRoots as its root.
func unknownName(diag *hcl.Diagnostic) (root, name string, ok bool) {
	if diag.Summary != "Unsupported attribute" || diag.Expression == nil || diag.Subject == nil {
		return "", "", false
	}
	for _, tr := range diag.Expression.Variables() {
		if len(tr) < 2 {
			continue
		}
		step, isAttr := tr[1].(hcl.TraverseAttr)
		if _, known := nameRoots[tr.RootName()]; isAttr && known && step.SrcRange == *diag.Subject {
			return tr.RootName(), step.Name, true
		}
	}
	return "", "", false
}

// fleetReference recognizes HCL's "There is no variable named "fleet""
// (or "vm"), where fleets are not in scope, and returns the reference as
// written (fleet.web) and its range.
func fleetReference(diag *hcl.Diagnostic) (string, hcl.Range, bool) {
	if diag.Summary != "Unknown variable" || diag.Expression == nil || diag.Subject == nil {
		return "", hcl.Range{}, false
	}
	for _, tr := range diag.Expression.Variables() {
		root := tr.RootName()
		if (root != "fleet" && root != "vm") || tr[0].SourceRange() != *diag.Subject {
			continue
		}
		if len(tr) > 1 {
			if a, ok := tr[1].(hcl.TraverseAttr); ok {
				return root + "." + a.Name, hcl.RangeBetween(tr[0].SourceRange(), a.SrcRange), true
			}
		}
		return root, tr[0].SourceRange(), true
	}
	return "", hcl.Range{}, false
}

// withDashes extends a reference that HCL read as vm.db (then "- 01") to
// the name as written in the source, vm.db-01.
func (d *decoder) withDashes(ref string, rng hcl.Range) (string, hcl.Range) {
	f := d.loader.parser.Files()[rng.Filename]
	if f == nil {
		return ref, rng
	}
	end := rng.End.Byte
	for end < len(f.Bytes) && isNameByte(f.Bytes[end]) {
		end++
	}
	n := end - rng.End.Byte
	ref += string(f.Bytes[rng.End.Byte:end])
	rng.End.Byte, rng.End.Column = end, rng.End.Column+n
	return ref, rng
}

func isNameByte(c byte) bool {
	return c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// declaredNames lists the names a root offers.
func (d *decoder) declaredNames(root string) []string {
	switch root {
	case "var":
		return slices.Collect(maps.Keys(d.spec.Variables))
	case "local":
		return slices.Collect(maps.Keys(d.locals))
	case "count":
		return []string{"index"}
	case "each":
		return []string{"key", "value"}
	case "module":
		return d.spec.callNames()
	}
	var out []string
	for _, f := range d.spec.Fleets {
		if f.Kind.String() == root {
			out = append(out, f.Name)
		}
	}
	return out
}

// closest returns the name nearest to s within an edit distance of 2 (as
// Terraform suggests), or "" when none is that close.
func closest(s string, names []string) string {
	best, bestDist := "", 3
	for _, n := range slices.Sorted(slices.Values(names)) {
		if dist := editDistance(s, n); dist < bestDist {
			best, bestDist = n, dist
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
