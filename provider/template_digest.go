package provider

import (
	"context"
	"encoding/json"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/secret"
	"github.com/novacron/novacron/engine/spec"
)

// Templates may hold secrets: the values of the write-only
// sensitive_template, and any value of template that came from a sensitive
// variable. The engine seals the first in the template's ID, as it seals a
// spec's sensitive template settings for nova-plan: the ID (which the VM
// carries, and plans and state hold) shows a digest in place of each value
// (spec.SealTemplates, salted with the resource's lineage). Terraform does
// not tell a provider which values of template are sensitive, so nothing
// the provider computes (template_id, the templates in a fleet's records,
// the reasons of a change) holds a template ID either: it shows and stores
// the engine's digest of the whole ID, salted with the resource's lineage.
// A digest tells a change of template from none, which is all a plan
// needs. There is one digest scheme, the engine's (engine/secret).

// templateName is the name the provider gives the engine's TemplateRef:
// the template's values must not be its name.
const templateName = "template"

// digestPrefix starts every template digest, as the engine's sealed
// values start in a template ID.
const digestPrefix = "sensitive:"

// sealTemplates seals the sensitive settings of the spec's templates with
// the resource's lineage, before the provider reads a template's ID (the
// core seals them again, alike, when it plans).
func sealTemplates(sp *spec.Spec, lineage string) { sp.SealTemplates(lineage) }

// templateDigest is the digest of a template ID for the resource of
// lineage: digestPrefix and the engine's digest; "" for "".
func templateDigest(lineage, id string) string {
	if id == "" {
		return ""
	}
	return digests.of(lineage, id)
}

// digestCache keeps the digests this process made: one costs tens of
// milliseconds (argon2id), and the VMs of a fleet share their template.
type digestCache struct {
	mu sync.Mutex
	m  map[[2]string]string
}

var digests = &digestCache{m: map[[2]string]string{}}

func (c *digestCache) of(lineage, id string) string {
	key := [2]string{lineage, id}
	c.mu.Lock()
	d, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return d
	}
	d = digestPrefix + secret.TemplateDigest(lineage, "", templateName, id)
	c.mu.Lock()
	c.m[key] = d
	c.mu.Unlock()
	return d
}

// remember records that digest is id's for lineage.
func (c *digestCache) remember(lineage, id, digest string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[[2]string{lineage, id}] = digest
}

// digestOfKey is the private state key of the template ID a novacron_vm's
// template_id is the digest of. Each provider process would make the
// digest again, for every resource (each has its own lineage): with the ID
// kept, a refresh or plan makes one only when the template changes.
const digestOfKey = "template_id_of"

// recallDigest remembers, for this process, that digest (a novacron_vm's
// template_id) is the digest of the ID its private state keeps.
func recallDigest(ctx context.Context, p privateData, lineage string, digest types.String) diag.Diagnostics {
	if p == nil || digest.IsNull() || digest.IsUnknown() || !isDigest(digest.ValueString()) {
		return nil
	}
	data, diags := p.GetKey(ctx, digestOfKey)
	var id string
	if diags.HasError() || len(data) == 0 || json.Unmarshal(data, &id) != nil || id == "" {
		return diags
	}
	digests.remember(lineage, id, digest.ValueString())
	return diags
}

// keepDigestOf keeps in private state the template ID that template_id
// is now the digest of ("": unchanged).
func keepDigestOf(ctx context.Context, p privateData, id string) diag.Diagnostics {
	if id == "" {
		return nil
	}
	data, err := json.Marshal(id)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Cannot save the template's ID", err.Error())
		return diags
	}
	return p.SetKey(ctx, digestOfKey, data)
}

// legacyDigestPrefix starts the template digests of provider builds before
// the engine's digests: such a digest cannot be compared with a template,
// so it counts as unknown until the next refresh replaces it.
const legacyDigestPrefix = "hmac-sha256:"

func isLegacyDigest(s string) bool { return strings.HasPrefix(s, legacyDigestPrefix) }

// isDigest reports whether a template string is a digest rather than an
// ID (an ID starts with a setting's name).
func isDigest(s string) bool { return strings.HasPrefix(s, digestPrefix) }

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
