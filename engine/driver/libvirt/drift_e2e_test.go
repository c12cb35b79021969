package libvirt

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDriftOfADomainChangedWithVirsh: a domain NovaCron manages is
// changed with virsh behind its back (vCPUs and memory of its persistent
// config), then undefined; `nova-plan drift` reports each, as applied →
// live, and exits 2 with -detailed-exitcode.
func TestDriftOfADomainChangedWithVirsh(t *testing.T) {
	requireDaemon(t)
	l := systemConn(t)
	name := uniquePrefix(t, l, "drift") + "0"
	uuid := handDefined(t, name, 1)
	dir := t.TempDir()
	writeSpec(t, dir, handSpec("hand", name, 1, ""))
	nova(t, dir, "import", "vm.hand", uuid).Must(t, 0, "import")
	nova(t, dir, "drift", "-detailed-exitcode").Must(t, 0, "drift after the import")

	virsh(t, "setvcpus", name, "2", "--config", "--maximum")
	virsh(t, "setvcpus", name, "2", "--config")
	virsh(t, "setmaxmem", name, "256M", "--config")
	virsh(t, "setmem", name, "256M", "--config")
	got := driftOf(t, dir)
	want := []string{"vm.hand changed cpu 1→2", "vm.hand changed memory_gb 0.125→0.25"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("drift after virsh setvcpus and setmem (-want +got):\n%s", diff)
	}
	r := nova(t, dir, "drift").Must(t, 0, "drift")
	for _, w := range []string{"# vm.hand changed (libvirt.local, " + uuid + ")", "cpu: 1 → 2", "memory_gb: 0.125 → 0.25"} {
		if !strings.Contains(r.Stdout, w) {
			t.Errorf("drift text lacks %q:\n%s", w, r.Stdout)
		}
	}

	virsh(t, "undefine", name)
	if diff := cmp.Diff([]string{"vm.hand deleted"}, driftOf(t, dir)); diff != "" {
		t.Errorf("drift after virsh undefine (-want +got):\n%s", diff)
	}
}

// driftOf runs `drift -json -detailed-exitcode`, wanting 2, and flattens
// its VMs to "address kind path applied→live" lines.
func driftOf(t *testing.T, dir string) []string {
	t.Helper()
	r := nova(t, dir, "drift", "-json", "-detailed-exitcode").Must(t, 2, "drift -json")
	var doc struct {
		VMs []struct {
			Address string `json:"address"`
			Kind    string `json:"kind"`
			Changes []struct {
				Path    string `json:"path"`
				Applied any    `json:"applied"`
				Live    any    `json:"live"`
			} `json:"changes"`
		} `json:"vms"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &doc); err != nil {
		t.Fatalf("drift -json: %v\n%s", err, r.Stdout)
	}
	var out []string
	for _, v := range doc.VMs {
		if len(v.Changes) == 0 {
			out = append(out, v.Address+" "+v.Kind)
		}
		for _, c := range v.Changes {
			a, _ := json.Marshal(c.Applied)
			b, _ := json.Marshal(c.Live)
			out = append(out, v.Address+" "+v.Kind+" "+c.Path+" "+string(a)+"→"+string(b))
		}
	}
	return out
}
