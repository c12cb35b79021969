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

// sealedLive is a live template ID that is not ref's, with the value of
// every setting ref seals but the VM holds in plain text (a VM made before
// its driver declared the setting sensitive) replaced by its digest: the
// plan shows and saves the ID (a replace's reasons, its before), and must
// not show an old secret either. An ID it cannot read is returned as it is.
func sealedLive(ref driver.TemplateRef, driverType, lineage, live string) string {
	if len(ref.Sensitive) == 0 {
		return live
	}
	var b strings.Builder
	for rest := live; rest != ""; {
		k, after, ok := strings.Cut(rest, "=")
		if !ok {
			return live
		}
		v, tail, ok := cutTemplateValue(after)
		if !ok {
			return live
		}
		if _, sealed := ref.Sensitive[k]; sealed && !strings.HasPrefix(v, sealedPrefix) {
			v = sealedPrefix + secret.TemplateDigest(lineage, driverType, k, v)
		}
		b.WriteString(k + "=" + v + tail[:min(len(tail), 1)])
		rest = strings.TrimPrefix(tail, ",")
	}
	return b.String()
}

// cutTemplateValue cuts one setting's value (driver.Config.Format's: a
// quoted string, a list or map of them, or a bare word) from the start of
// s; rest starts with the comma after it, or is "".
func cutTemplateValue(s string) (v, rest string, ok bool) {
	depth, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '[' || c == '{':
			depth++
		case c == ']' || c == '}':
			depth--
		case c == ',' && depth == 0:
			return s[:i], s[i:], true
		}
	}
	return s, "", !quoted && depth == 0
}
