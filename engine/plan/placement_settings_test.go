package plan_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
)

// labelled returns n hosts of 32 vCPU and 128 GiB, host i in rack r(i/2+1),
// the odd ones with ssd = "true", each with disk GiB of disk.
func labelled(n int, disk int64) []driver.Host {
	out := hosts(n)
	for i := range out {
		out[i].DiskGiB = disk
		out[i].Labels = map[string]string{"rack": fmt.Sprintf("r%d", i/2+1)}
		if i%2 == 1 {
			out[i].Labels["ssd"] = "true"
		}
	}
	return out
}

// TestPlacementSettings plans new fleets with each setting of the
// placement block and checks where the plan puts every VM.
func TestPlacementSettings(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		disk       int64
		want       map[string]string // address → host
	}{{
		name: "host_labels: only hosts with the labels",
		body: `fleet "web" {
  count = 3
  template = template.ubuntu
  cpu = 2
  memory_gb = 4
  placement { host_labels = { ssd = "true" } }
}`,
		want: map[string]string{"fleet.web[0]": "hv-02", "fleet.web[1]": "hv-02", "fleet.web[2]": "hv-02"},
	}, {
		name: "spread_by a label: one VM per rack first",
		body: `fleet "web" {
  count = 3
  template = template.ubuntu
  cpu = 2
  memory_gb = 4
  placement { spread_by = "rack" }
}`,
		want: map[string]string{"fleet.web[0]": "hv-01", "fleet.web[1]": "hv-03", "fleet.web[2]": "hv-01"},
	}, {
		name: "avoid_same_host_as keeps the fleets apart",
		body: `vm "db" {
  template = template.ubuntu
  cpu = 8
  memory_gb = 32
  host = "hv-01"
}
fleet "web" {
  count = 2
  template = template.ubuntu
  cpu = 2
  memory_gb = 4
  placement { avoid_same_host_as = [vm.db] }
}`,
		want: map[string]string{"vm.db": "hv-01", "fleet.web[0]": "hv-02", "fleet.web[1]": "hv-02"},
	}, {
		name: "disk is a dimension where hosts report it",
		disk: 100,
		body: `fleet "data" {
  count = 3
  template = template.ubuntu
  cpu = 2
  memory_gb = 4
  disk_gb = 60
}`,
		want: map[string]string{"fleet.data[0]": "hv-01", "fleet.data[1]": "hv-02", "fleet.data[2]": "hv-03"},
	}, {
		name: "prefer spread: the emptiest host",
		body: `vm "db" {
  template = template.ubuntu
  cpu = 8
  memory_gb = 32
  host = "hv-01"
}
fleet "web" {
  count = 1
  template = template.ubuntu
  cpu = 2
  memory_gb = 4
  placement { prefer = "spread" }
}`,
		want: map[string]string{"vm.db": "hv-01", "fleet.web[0]": "hv-02"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fixture{spec: loadSpec(t, tc.body), hosts: labelled(4, tc.disk), caps: simCaps}
			p, diags := plan.Diff(f.input())
			if diags.HasErrors() {
				t.Fatal(diagText(diags))
			}
			got := map[string]string{}
			for _, c := range p.Changes {
				got[c.Address] = c.After.Host
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("hosts (-want +got):\n%s", diff)
			}
		})
	}
}

// TestUnplaceableListsClosestHosts: a VM no host can take names the five
// hosts closest to taking it, the least short first by name, not all 8.
func TestUnplaceableListsClosestHosts(t *testing.T) {
	f := &fixture{spec: loadSpec(t, `fleet "big" {
  count = 1
  template = template.ubuntu
  cpu = 40
  memory_gb = 64
}`), hosts: hosts(8), caps: simCaps}
	for i := range f.hosts {
		f.hosts[i].CPU = 20 + 2*i // hv-08 has 34 vCPU: the closest
	}
	_, diags := plan.Diff(f.input())
	got := diagText(diags)
	for _, want := range []string{"hv-04:", "hv-05:", "hv-06:", "hv-07:", "hv-08:", "(the 5 closest hosts of 8;"} {
		if !strings.Contains(got, want) {
			t.Errorf("diagnostic lacks %q:\n%s", want, got)
		}
	}
	for _, not := range []string{"hv-01:", "hv-02:", "hv-03:"} {
		if strings.Contains(got, not) {
			t.Errorf("diagnostic lists %s, which is further than five others:\n%s", not, got)
		}
	}
}

// TestUnplaceablePinnedToMissingHost: a VM pinned to a host the provider
// lacks says so first, and the count of hosts counts the cluster's hosts,
// not the missing one.
func TestUnplaceablePinnedToMissingHost(t *testing.T) {
	f := &fixture{spec: loadSpec(t, `fleet "c" {
  count = 1
  template = template.ubuntu
  cpu = 2
  memory_gb = 4
  host = "hv-99"
}`), hosts: hosts(8), caps: simCaps}
	_, diags := plan.Diff(f.input())
	got := diagText(diags)
	for _, want := range []string{`hv-99: the pinned host "hv-99" does not exist`, "(the 4 closest hosts of 8;"} {
		if !strings.Contains(got, want) {
			t.Errorf("diagnostic lacks %q:\n%s", want, got)
		}
	}
	if first, missing := strings.Index(got, "  - "), strings.Index(got, "  - hv-99:"); first != missing {
		t.Errorf("the missing pinned host is not listed first:\n%s", got)
	}
}
