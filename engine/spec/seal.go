package spec

import (
	"github.com/novacron/novacron/engine/secret"
)

// SealTemplates sets the digests that stand for sensitive template settings
// in every fleet's TemplateRef.ID, salted with the workspace's state
// lineage: the same lineage and value always give the same digest, so a
// plan shows no false change, and a new value shows as a template change.
// Call it once the lineage is known, before planning or binding a plan.
func (s *Spec) SealTemplates(lineage string) {
	type key struct{ typ, setting, value string }
	digests := map[key]string{} // fleets share templates: one argon2id each
	for _, f := range s.Fleets {
		ref := &f.TemplateRef
		if len(ref.Sensitive) == 0 || f.Provider == nil {
			continue
		}
		sealed := make(map[string]string, len(ref.Sensitive))
		for name := range ref.Sensitive {
			k := key{f.Provider.Type, name, ref.Config.Format(name)}
			if _, ok := digests[k]; !ok {
				digests[k] = secret.TemplateDigest(lineage, k.typ, k.setting, k.value)
			}
			sealed[name] = digests[k]
		}
		ref.Sensitive = sealed
	}
}
