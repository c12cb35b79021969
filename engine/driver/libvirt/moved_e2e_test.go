package libvirt

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A fleet renamed with a moved block keeps its domains: the plan moves
// them, the apply rewrites their metadata (the ownership marker) and
// creates and deletes none, so every domain keeps its UUID.
func TestMovedFleetKeepsDomains(t *testing.T) {
	requireGuest(t)
	l := systemConn(t)
	prefix := uniquePrefix(t, l, "mv")
	dir := t.TempDir()
	writeSpec(t, dir, stoppedSpec(prefix, 2))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	t.Cleanup(func() { nova(t, dir, "destroy", "-auto-approve") })
	uuids := func() []string {
		var out []string
		for _, d := range leftDomains(t, l, prefix) {
			out = append(out, formatUUID(d.UUID))
		}
		slices.Sort(out)
		return out
	}
	before := uuids()
	if len(before) != 2 {
		t.Fatalf("%d domains named %s*, want 2", len(before), prefix)
	}

	writeSpec(t, dir, strings.Replace(stoppedSpec(prefix, 2), `fleet "tiny"`, `fleet "small"`, 1)+`
moved {
  from = fleet.tiny
  to   = fleet.small
}
`)
	if diff := cmp.Diff([]string{"fleet.small[0] move", "fleet.small[1] move"}, planJSON(t, dir).actions()); diff != "" {
		t.Fatalf("plan of the renamed fleet (-want +got):\n%s", diff)
	}
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the moves")
	if diff := cmp.Diff(before, uuids()); diff != "" {
		t.Errorf("domain UUIDs changed: a domain was created or deleted (-before +after):\n%s", diff)
	}
	var addrs []string
	for _, vm := range managed(t, dir, prefix).VMs {
		addrs = append(addrs, vm.Address)
	}
	slices.Sort(addrs)
	if diff := cmp.Diff([]string{"fleet.small[0]", "fleet.small[1]"}, addrs); diff != "" {
		t.Errorf("the domains' markers (-want +got):\n%s", diff)
	}
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after the moves")
}
