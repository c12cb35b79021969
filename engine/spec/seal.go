package spec

import (
	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/secret"
)

// SealTemplates sets the digests that stand for sensitive template settings
// in every fleet's TemplateRef.ID (SealTemplate), salted with the owner's
// lineage: a workspace's state lineage, a Terraform resource's own. The
// same lineage and value always give the same digest, so a plan shows no
// false change, and a new value shows as a template change. Call it once
// the lineage is known, before planning or binding a plan; the operation
// core does.
func (s *Spec) SealTemplates(lineage string) {
	for _, f := range s.Fleets {
		if f.Provider != nil {
			SealTemplate(&f.TemplateRef, f.Provider.Type, lineage)
		}
		for typ, ref := range f.AltTemplates {
			SealTemplate(&ref, typ, lineage)
			f.AltTemplates[typ] = ref
		}
	}
}

// SealTemplate sets, in ref.Sensitive, the digest of each setting it names
// (secret.TemplateDigest of the setting's canonical text), for a template
// of driverType owned by lineage. Fleets share templates, and digests are
// cached per salt and value, so sealing many refs costs one argon2id
// computation per distinct value.
func SealTemplate(ref *driver.TemplateRef, driverType, lineage string) {
	if len(ref.Sensitive) == 0 {
		return
	}
	sealed := make(map[string]string, len(ref.Sensitive))
	for name := range ref.Sensitive {
		sealed[name] = secret.TemplateDigest(lineage, driverType, name, ref.Config.Format(name))
	}
	ref.Sensitive = sealed
}
