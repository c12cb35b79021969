package plan_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
)

const createSpec = `
vm "db" {
  template  = template.ubuntu
  cpu       = 8
  memory_gb = 32
  host      = "hv-02"
}
fleet "web" {
  count      = 3
  template   = template.ubuntu
  cpu        = 2
  memory_gb  = 4
  disk_gb    = 40
  tags       = { tier = "web" }
  depends_on = [vm.db]
  placement {
    spread_by = "host"
  }
}
`

// TestDiffCreatesFromNothing diffs a spec against no state and no VMs: every
// instance is created with its marker, and placement picks the hosts (db
// is pinned; web spreads, the first web VM joining db on the fullest host).
func TestDiffCreatesFromNothing(t *testing.T) {
	s := loadSpec(t, createSpec)
	f := &fixture{spec: s, hosts: hosts(4), caps: simCaps}
	got := mustDiff(t, f.input())

	web := func(i int, name, host string) *plan.Change {
		addr := fmt.Sprintf("fleet.web[%d]", i)
		return &plan.Change{
			Address: addr, Fleet: "fleet.web", Action: plan.Create,
			After: &plan.Attrs{
				Provider: pk, Name: name, Host: host, CPU: 2, MemoryMiB: 4 * gib, DiskGB: 40,
				Power: driver.PowerRunning, Template: ubuntuID, TemplateName: "ubuntu", Tags: map[string]string{"tier": "web"},
			},
			Reasons:   []string{"not found: no VM carries this address's marker"},
			Marker:    &driver.Marker{Address: addr, Lineage: lineage, SpecHash: plan.SpecHash(instance(t, s, addr))},
			DependsOn: []string{"vm.db"}, Template: ubuntu,
		}
	}
	want := &plan.Plan{
		FormatVersion: plan.MovelessFormatVersion, Lineage: lineage, SpecDigest: s.Digest,
		FleetDeps: map[string][]string{"vm.db": nil, "fleet.web": {"vm.db"}},
		Changes: []*plan.Change{
			web(0, "web-0", "hv-02"), web(1, "web-1", "hv-01"), web(2, "web-2", "hv-03"),
			{
				Address: "vm.db", Fleet: "vm.db", Action: plan.Create,
				After: &plan.Attrs{
					Provider: pk, Name: "db", Host: "hv-02", CPU: 8, MemoryMiB: 32 * gib, DiskGB: 20,
					Power: driver.PowerRunning, Template: ubuntuID, TemplateName: "ubuntu", Tags: map[string]string{},
				},
				Reasons:  []string{"not found: no VM carries this address's marker"},
				Marker:   &driver.Marker{Address: "vm.db", Lineage: lineage, SpecHash: plan.SpecHash(instance(t, s, "vm.db"))},
				Template: ubuntu,
			},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Diff (-want +got):\n%s", diff)
	}
	seen := map[string]bool{}
	for _, c := range got.Changes {
		if h := c.Marker.SpecHash; len(h) != 16 || seen[h] {
			t.Errorf("%s: spec hash %q is not a fresh 16-digit hash", c.Address, h)
		}
		seen[c.Marker.SpecHash] = true
	}
}

// TestDiffNoChanges diffs an applied spec against itself, with the options
// that could wrongly produce changes (rollout, lifecycle, spread, pins).
func TestDiffNoChanges(t *testing.T) {
	f := applied(t, createSpec+`
fleet "app" {
  for_each  = { a = 1, b = 2 }
  template  = template.debian
  cpu       = each.value
  memory_gb = 0.5
  power     = "stopped"
  rollout {
    batch_size = 1
  }
  lifecycle {
    create_before_destroy = true
    ignore_changes        = [tags]
  }
}
`)
	for i := range f.vms { // spread as the placer spread them: one a host
		vm := &f.vms[i]
		if strings.HasPrefix(vm.Marker.Address, "fleet.web[") {
			vm.Host = f.hosts[i%len(f.hosts)].Name
			f.state.VMs[vm.Marker.Address].Host = vm.Host
		}
	}
	got := mustDiff(t, f.input())
	if !got.Empty() || len(got.Warnings) > 0 {
		t.Errorf("Diff of an applied spec: changes %v, warnings %q; want none", rows(got), got.Warnings)
	}
	if got.StateSerial != 7 || !got.StateExists || got.Lineage != lineage {
		t.Errorf("plan records serial %d, exists %v, lineage %q; want 7, true, %q", got.StateSerial, got.StateExists, got.Lineage, lineage)
	}
}

// TestSpecHash checks that the hash in the marker covers every desired
// attribute: any change to one gives another hash.
func TestSpecHash(t *testing.T) {
	const base = `
vm "a" {
  template = template.%s
  cpu = %d
  memory_gb = %d
  disk_gb = %d
  host = %q
  power = %q
  tags = { k = %q }
  name = %q
}
`
	variants := [][]any{
		{"ubuntu", 1, 1, 10, "hv-01", "running", "v", "a"},
		{"debian", 1, 1, 10, "hv-01", "running", "v", "a"},
		{"ubuntu", 2, 1, 10, "hv-01", "running", "v", "a"},
		{"ubuntu", 1, 2, 10, "hv-01", "running", "v", "a"},
		{"ubuntu", 1, 1, 11, "hv-01", "running", "v", "a"},
		{"ubuntu", 1, 1, 10, "hv-02", "running", "v", "a"},
		{"ubuntu", 1, 1, 10, "hv-01", "stopped", "v", "a"},
		{"ubuntu", 1, 1, 10, "hv-01", "running", "w", "a"},
		{"ubuntu", 1, 1, 10, "hv-01", "running", "v", "b"},
	}
	seen := map[string]int{}
	for i, v := range variants {
		s := loadSpec(t, fmt.Sprintf(base, v...))
		h := plan.SpecHash(s.Fleets[0].Instances[0])
		if j, dup := seen[h]; dup {
			t.Errorf("variants %d and %d have the same spec hash %s", j, i, h)
		}
		seen[h] = i
		if again := plan.SpecHash(loadSpec(t, fmt.Sprintf(base, v...)).Fleets[0].Instances[0]); again != h {
			t.Errorf("variant %d hashes to %s and then %s", i, h, again)
		}
	}
}
