package provider

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/novacron/novacron/engine/plan"
)

// Templates may hold secrets: a sensitive variable in template, or the
// write-only sensitive_template. Terraform does not tell a provider which
// values are sensitive, so nothing the provider computes (template_id, the
// VMs' templates, the reasons of a change) holds template values: a
// template is shown and stored as a digest, keyed by the resource's
// lineage, of its canonical ID (driver.TemplateRef.ID). The digest tells a
// change of template from none, which is all a plan needs.

// templateName is the name the provider gives the engine's TemplateRef:
// the template's values must not be its name.
const templateName = "template"

// digestPrefix starts every template digest.
const digestPrefix = "hmac-sha256:"

// templateDigest is the digest of a template ID for the resource of
// lineage: digestPrefix and 16 hex digits; "" for "".
func templateDigest(lineage, id string) string {
	if id == "" {
		return ""
	}
	mac := hmac.New(sha256.New, []byte(lineage))
	mac.Write([]byte(id))
	return digestPrefix + hex.EncodeToString(mac.Sum(nil))[:16]
}

// scrubbedReasons are a change's reasons with every template ID replaced
// by its digest, joined by "; ".
func scrubbedReasons(c *plan.Change, lineage string) string {
	text := strings.Join(c.Reasons, "; ")
	text = strings.ReplaceAll(text, "template "+templateName+" changes", "template changes")
	for _, a := range []*plan.Attrs{c.Before, c.After} {
		if a != nil && a.Template != "" {
			text = strings.ReplaceAll(text, a.Template, templateDigest(lineage, a.Template))
		}
	}
	return text
}
