package spec

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// Format returns src in canonical layout. Source with syntax errors is not
// formatted: the diagnostics say why.
func Format(src []byte, filename string) ([]byte, hcl.Diagnostics) {
	diags, _ := checkSource(src, filename, false)
	if !diags.HasErrors() {
		_, diags = hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return hclwrite.Format(src), nil
}
