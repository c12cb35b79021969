package spec

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// EncryptionSetting is the encryption block of the spec's novacron block,
// read with the backend (ReadBackend):
//
//	novacron {
//	  encryption {
//	    required = true # no key in the environment is an error, never plaintext state
//	  }
//	}
type EncryptionSetting struct {
	Required bool
	Range    hcl.Range // where required was written; empty when it was not
}

var encryptionSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "required"}}}

// decodeEncryption reads an encryption block: required is a literal true
// or false, since it is read before anything is evaluated.
func decodeEncryption(b *hcl.Block, set *EncryptionSetting) hcl.Diagnostics {
	content, diags := b.Body.Content(encryptionSchema)
	keysNotHere(b.Body, diags)
	a := content.Attributes["required"]
	if a == nil || diags.HasErrors() {
		return diags
	}
	bad := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid encryption setting",
		Detail:  "required must be true or false, written as such: it is read before variables, locals and everything else in the spec are evaluated.",
		Subject: a.Expr.Range().Ptr()}
	if len(a.Expr.Variables()) > 0 {
		return hcl.Diagnostics{bad}
	}
	v, ds := a.Expr.Value(nil)
	if ds.HasErrors() {
		return ds
	}
	v, err := convert.Convert(v, cty.Bool)
	if err != nil || v.IsNull() || !v.IsKnown() {
		return hcl.Diagnostics{bad}
	}
	set.Required, set.Range = v.True(), a.Range
	return nil
}

// keysNotHere adds to the diagnostic of each key or passphrase written in
// the encryption block where keys belong: in the environment, never in
// the spec.
func keysNotHere(body hcl.Body, diags hcl.Diagnostics) {
	_, rest, _ := body.PartialContent(encryptionSchema)
	attrs, _ := rest.JustAttributes()
	for _, d := range diags {
		for name, a := range attrs {
			if SecretName(name) && d.Subject != nil && *d.Subject == a.NameRange {
				d.Detail += " Keys and passphrases never go in the spec, where anyone who reads it (or its diagnostics) sees them: give the key in NOVA_STATE_KEY or the passphrase in NOVA_STATE_PASSPHRASE, and remove this line."
			}
		}
	}
}
