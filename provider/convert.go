package provider

import (
	"context"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/spec"
)

// Limits of the sizing attributes: the spec language's.
const (
	maxCPU      = spec.MaxCPU
	maxMemoryGB = spec.MaxMemoryGB
	maxDiskGB   = spec.MaxDiskGB
)

// mib converts memory_gb to MiB.
func mib(gb float64) int64 { return int64(math.Round(gb * 1024)) }

// gib converts MiB to memory_gb.
func gib(mib int64) float64 { return float64(mib) / 1024 }

// stringMap reads a map(string) attribute; null and unknown are nil.
func stringMap(ctx context.Context, m types.Map, diags *diag.Diagnostics) map[string]string {
	if m.IsNull() || m.IsUnknown() {
		return nil
	}
	out := map[string]string{}
	diags.Append(m.ElementsAs(ctx, &out, false)...)
	return out
}

// tagsValue is the tags attribute for a VM's user tags: null when it has
// none and the prior value was null, so an unset attribute stays unset.
func tagsValue(tags map[string]string, prior types.Map) types.Map {
	user := userTags(tags)
	if len(user) == 0 && (prior.IsNull() || prior.IsUnknown()) {
		return types.MapNull(types.StringType)
	}
	return mapValue(user)
}

func mapValue(m map[string]string) types.Map {
	v, _ := types.MapValueFrom(context.Background(), types.StringType, m)
	return v
}

func listValue(l []string) types.List {
	if l == nil {
		l = []string{}
	}
	v, _ := types.ListValueFrom(context.Background(), types.StringType, l)
	return v
}

// fullyKnown reports whether the values are known all the way down: a known
// map or block can hold unknown values.
func fullyKnown(vals ...attr.Value) bool {
	for _, v := range vals {
		tv, err := v.ToTerraformValue(context.Background())
		if err != nil || !tv.IsFullyKnown() {
			return false
		}
	}
	return true
}

// parseTemplateID reads back a driver.TemplateRef.ID ("k=v,…", values
// quoted when strings) into the template map it was made from, without
// the sealed settings (sensitive_template's, "k=sensitive:…"), which only
// the configuration holds. Imports use it; ok is false for what it cannot
// read (lists and maps), and when nothing but sealed settings is left.
func parseTemplateID(id string) (map[string]string, bool) {
	out := map[string]string{}
	for rest := id; rest != ""; {
		k, after, found := strings.Cut(rest, "=")
		if !found || k == "" {
			return nil, false
		}
		sealed := isDigest(after)
		v, tail, ok := cutValue(after)
		if !ok {
			return nil, false
		}
		if !sealed {
			out[k] = v
		}
		rest = tail
	}
	return out, len(out) > 0
}

// cutValue reads one value and the rest after its comma.
func cutValue(s string) (v, rest string, ok bool) {
	if strings.HasPrefix(s, `"`) {
		q, err := strconv.QuotedPrefix(s)
		if err != nil {
			return "", "", false
		}
		v, _ = strconv.Unquote(q)
		rest = s[len(q):]
		if rest != "" && rest[0] != ',' {
			return "", "", false
		}
		return v, strings.TrimPrefix(rest, ","), true
	}
	if strings.HasPrefix(s, "{") || strings.HasPrefix(s, "[") {
		return "", "", false
	}
	v, rest, _ = strings.Cut(s, ",")
	return v, rest, true
}

// userTags returns a VM's tags without marker keys, nil-safe.
func userTags(tags map[string]string) map[string]string {
	out := maps.Clone(tags)
	if out == nil {
		out = map[string]string{}
	}
	for _, k := range slices.Collect(maps.Keys(out)) {
		if strings.HasPrefix(k, "novacron:") {
			delete(out, k)
		}
	}
	return out
}

// findVM returns the VM with the ID in an inventory.
func findVM(inv driver.Inventory, id string) *driver.VM {
	for i := range inv.VMs {
		if inv.VMs[i].ID == id {
			return &inv.VMs[i]
		}
	}
	return nil
}
