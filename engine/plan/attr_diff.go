package plan

import (
	"maps"
	"slices"

	"github.com/novacron/novacron/engine/spec"
)

// attrDiffs lists the attributes that differ from before to after, in a
// fixed order, the tags one per key. A value one side cannot tell (an
// empty host, power or template, a disk of 0 GB) is no difference. Drift
// (live against the state) and pending changes (the spec against the
// state) are both this comparison.
func attrDiffs(before, after *Attrs) []AttrDiff {
	var out []AttrDiff
	add := func(path string, b, a any) { out = append(out, AttrDiff{Path: path, Before: b, After: a}) }
	known := func(b, a string) bool { return b != "" && a != "" && b != a }
	if known(before.Name, after.Name) {
		add("name", before.Name, after.Name)
	}
	if before.CPU != after.CPU {
		add("cpu", before.CPU, after.CPU)
	}
	if before.MemoryMiB != after.MemoryMiB {
		add("memory_gb", float64(before.MemoryMiB)/1024, float64(after.MemoryMiB)/1024)
	}
	if before.DiskGB != after.DiskGB && before.DiskGB != 0 && after.DiskGB != 0 {
		add("disk_gb", before.DiskGB, after.DiskGB)
	}
	if known(string(before.Power), string(after.Power)) {
		add("power", string(before.Power), string(after.Power))
	}
	if known(before.Host, after.Host) {
		add("host", before.Host, after.Host)
	}
	if known(before.Template, after.Template) {
		add("template", before.Template, after.Template)
	}
	return append(out, tagDiffs(before.Tags, after.Tags)...)
}

// tagDiffs lists the tags added, changed or removed, by key.
func tagDiffs(before, after map[string]string) []AttrDiff {
	if maps.Equal(before, after) {
		return nil // the common case, without building the union of keys
	}
	var out []AttrDiff
	union := maps.Clone(before)
	if union == nil {
		union = map[string]string{}
	}
	maps.Copy(union, after)
	for _, k := range slices.Sorted(maps.Keys(union)) {
		b, inB := before[k]
		a, inA := after[k]
		if inB == inA && b == a {
			continue
		}
		out = append(out, AttrDiff{Path: "tags." + k, Before: tagValue(b, inB), After: tagValue(a, inA)})
	}
	return out
}

func tagValue(v string, set bool) any {
	if !set {
		return nil
	}
	return v
}

// sameTemplateID reports whether two template IDs name one template of
// fleet f: equal, or written otherwise for the same settings
// (sameTemplate). Without a fleet only equal IDs are the same.
func (d *differ) sameTemplateID(f *spec.Fleet, a, b string) bool {
	if a == b || a == "" || b == "" {
		return true
	}
	if f == nil || f.TemplateRef.ID() != a && f.TemplateRef.ID() != b {
		return false
	}
	other := b
	if f.TemplateRef.ID() == b {
		other = a
	}
	return sameTemplate(f.TemplateRef, f.Provider.Type, d.lineage, other)
}

// shownTemplate is a live template ID as drift shows it: sealed where the
// spec seals the settings (sealedLive); without the fleet, a template ID
// other than the state's is not shown, lest it hold a sensitive value.
func (d *differ) shownTemplate(f *spec.Fleet, live string) string {
	if f == nil {
		return "(another template)"
	}
	return sealedLive(f.TemplateRef, f.Provider.Type, d.lineage, live)
}
