package plan

import (
	"fmt"
	"maps"
	"slices"

	"github.com/novacron/novacron/state"
)

// checkRecordable refuses a change whose VM the state could not record:
// a name, host, template or tag holding a control character or bytes that
// are not UTF-8, which state.Validate refuses. The spec refuses them in
// what it sets; these come from a provider (a host's name, the tags of a
// VM whose tags the spec ignores). Planned anyway, the apply would change
// the VM and then fail to save the state.
func (d *differ) checkRecordable() {
	for _, c := range d.plan.Changes {
		if c.Action == Delete || c.After == nil {
			continue
		}
		if what, bad := unrecordable(c.After); bad != "" {
			d.errorf(nil, "VM cannot be recorded in state",
				"%s (%s) would record %s, which %s: the state refuses it, so the apply could not save what it did. "+
					"Rename it at the provider, or set the VM's tags in the spec if they come from ignore_changes.",
				c.Address, c.Action, what, bad)
		}
	}
}

// unrecordable describes the first attribute of a that the state refuses
// (`the host "hv\x1b"`), and why; "" when there is none.
func unrecordable(a *Attrs) (string, string) {
	for _, f := range [...]struct{ name, value string }{{"name", a.Name}, {"host", a.Host}, {"template", a.Template}} {
		if bad := state.BadText(f.value); bad != "" {
			return fmt.Sprintf("the %s %q", f.name, f.value), bad
		}
	}
	for _, k := range slices.Sorted(maps.Keys(a.Tags)) {
		if bad := state.BadText(k); bad != "" {
			return fmt.Sprintf("the tag key %q", k), bad
		}
		if bad := state.BadText(a.Tags[k]); bad != "" {
			return fmt.Sprintf("the tag %q = %q", k, a.Tags[k]), bad
		}
	}
	return "", ""
}
