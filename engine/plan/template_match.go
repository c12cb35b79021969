package plan

import (
	"maps"
	"slices"
	"strings"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/secret"
)

// sealedPrefix starts a sensitive setting's value in a template ID
// (driver.TemplateRef.ID).
const sealedPrefix = "sensitive:"

// sameTemplate reports whether a live template ID names the template ref
// stands for, where the two IDs differ as text. A sensitive setting on the
// VM may be sealed with another salt (another workspace made the VM, or this
// one before its state was lost): the desired value is digested again with
// the VM's salt, once per salt and value (engine/secret caches). It may be
// sealed in the first release's form, which only this lineage can check;
// or be in plain text, on a VM made before its driver declared the setting
// sensitive; or the VM holds a digest of a value the spec now gives in
// plain. None of these is a change of template, so none plans a replace.
func sameTemplate(ref driver.TemplateRef, driverType, lineage, live string) bool {
	rest := live
	for i, k := range slices.Sorted(maps.Keys(ref.Config)) {
		if i > 0 {
			var ok bool
			if rest, ok = strings.CutPrefix(rest, ","); !ok {
				return false
			}
		}
		var ok bool
		if rest, ok = strings.CutPrefix(rest, k+"="); !ok {
			return false
		}
		if rest, ok = cutSameValue(rest, ref.Config.Format(k), driverType, k, lineage); !ok {
			return false
		}
	}
	return rest == ""
}

// cutSameValue cuts from rest the value of one setting when it stands for
// the setting's canonical text plain: that text, or a digest of it.
func cutSameValue(rest, plain, driverType, setting, lineage string) (string, bool) {
	sealed, ok := strings.CutPrefix(rest, sealedPrefix)
	if !ok {
		if after, ok := strings.CutPrefix(rest, plain); ok && (after == "" || after[0] == ',') {
			return after, true
		}
		return "", false
	}
	end := strings.IndexByte(sealed, ',') // a digest has no comma
	if end < 0 {
		end = len(sealed)
	}
	digest, after := sealed[:end], sealed[end:]
	same := secret.MatchTemplateDigest(digest, plain)
	if !same && !secret.IsTemplateDigest(digest) {
		same = digest == secret.LegacyTemplateDigest(lineage, driverType, setting, plain)
	}
	return after, same
}
