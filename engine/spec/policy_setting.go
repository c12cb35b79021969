package spec

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// PolicySetting is the policy block of the spec's novacron block, read
// with the backend (ReadBackend): the folder of Rego policies that plan
// and apply check every plan against (docs/cli.md, Policy checks).
//
//	novacron {
//	  policy {
//	    dir = "policy" # relative to the spec folder
//	  }
//	}
type PolicySetting struct {
	Dir   string    // "" when the spec names no policies
	Range hcl.Range // where dir was written
}

var policySchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "dir", Required: true}}}

// decodePolicy reads a policy block: dir is a literal, non-empty string,
// since it is read before anything is evaluated.
func decodePolicy(b *hcl.Block, set *PolicySetting) hcl.Diagnostics {
	content, diags := b.Body.Content(policySchema)
	a := content.Attributes["dir"]
	if a == nil || diags.HasErrors() {
		return diags
	}
	bad := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid policy setting",
		Detail:  "dir must be a non-empty string, written as such (the folder of .rego files, relative to the spec folder): it is read before variables, locals and everything else in the spec are evaluated.",
		Subject: a.Expr.Range().Ptr()}
	if len(a.Expr.Variables()) > 0 {
		return hcl.Diagnostics{bad}
	}
	v, ds := a.Expr.Value(nil)
	if ds.HasErrors() {
		return ds
	}
	if v.Type() != cty.String || v.IsNull() || !v.IsKnown() || v.AsString() == "" {
		return hcl.Diagnostics{bad}
	}
	set.Dir, set.Range = v.AsString(), a.Range
	return nil
}
