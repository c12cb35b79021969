package plan_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/plan"
)

// rulesSpec is a fleet of three VMs with the placement block given, and a
// vm.db; applied puts every VM on hv-01 (packed) unless moved.
func rulesSpec(placement string) string {
	return `
vm "db" {
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 2
}
fleet "web" {
  count     = 3
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 2
  placement {
    ` + placement + `
  }
}
`
}

// TestPlacementRulesWarn: live VMs that break a placement block added
// after they were placed get no change, but one warning at the block that
// counts and names them, in the diagnostics and in the plan's warnings.
func TestPlacementRulesWarn(t *testing.T) {
	tests := []struct {
		name      string
		placement string
		hosts     map[string]string // live host by address, else hv-01
		labels    map[string]map[string]string
		replace   []string
		want      string // in the warning, each part between "…"; "" for none
	}{
		{name: "packed, then spread by host", placement: `spread_by = "host"`,
			want: `2 VMs of the 3 VMs of fleet.web that this plan leaves where they run break its placement block at …/main.nova.hcl:20,3-12: spread_by = "host": fleet.web[1], fleet.web[2] beyond an even spread over the 4 hosts (at most 1 each)`},
		{name: "spread as asked", placement: `spread_by = "host"`,
			hosts: map[string]string{"fleet.web[1]": "hv-02", "fleet.web[2]": "hv-03"}},
		{name: "replaced VMs are placed again", placement: `spread_by = "host"`, replace: []string{"fleet.web[1]", "fleet.web[2]"}},
		{name: "one replaced", placement: `spread_by = "host"`, replace: []string{"fleet.web[2]"},
			want: `1 VM of the 2 VMs of fleet.web that this plan leaves where they run breaks its placement block at …/main.nova.hcl:20,3-12: spread_by = "host": fleet.web[1] beyond`},
		{name: "spread by rack", placement: `spread_by = "rack"`,
			hosts:  map[string]string{"fleet.web[1]": "hv-02", "fleet.web[2]": "hv-04"},
			labels: map[string]map[string]string{"hv-01": {"rack": "a"}, "hv-02": {"rack": "a"}, "hv-03": {"rack": "b"}},
			want:   `spread_by = "rack": fleet.web[2] on a host without the label rack; spread_by = "rack": fleet.web[1] beyond an even spread over the 2 rack values (at most 1 each)`},
		{name: "host labels", placement: `host_labels = { ssd = "true" }`,
			hosts:  map[string]string{"fleet.web[1]": "hv-02", "fleet.web[2]": "hv-02"},
			labels: map[string]map[string]string{"hv-02": {"ssd": "true"}},
			want:   `1 VM of the 3 VMs of fleet.web that this plan leaves where they run breaks its placement block at …/main.nova.hcl:20,3-12: host_labels: fleet.web[0] on a host without its labels`},
		{name: "spread that the rules forced to share a rack", placement: "spread_by = \"rack\"\n    avoid_same_host_as = [vm.db]",
			hosts:  map[string]string{"vm.db": "hv-02"},
			labels: map[string]map[string]string{"hv-01": {"rack": "a"}, "hv-02": {"rack": "b"}}},
		{name: "spread that a free rack could even out", placement: "spread_by = \"rack\"\n    avoid_same_host_as = [vm.db]",
			hosts:  map[string]string{"vm.db": "hv-03"},
			labels: map[string]map[string]string{"hv-01": {"rack": "a"}, "hv-02": {"rack": "b"}, "hv-03": {"rack": "b"}},
			want:   `spread_by = "rack": fleet.web[2] beyond an even spread over the 2 rack values (at most 2 each)`},
		{name: "avoid", placement: `avoid_same_host_as = [vm.db]`,
			hosts: map[string]string{"fleet.web[1]": "hv-02", "fleet.web[2]": "hv-03"},
			want:  `avoid_same_host_as: fleet.web[0] on a host holding a VM of vm.db`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := applied(t, rulesSpec(tt.placement))
			for i := range f.vms {
				if h := tt.hosts[f.vms[i].Marker.Address]; h != "" {
					f.vms[i].Host = h
				}
			}
			for i := range f.hosts {
				f.hosts[i].Labels = tt.labels[f.hosts[i].Name]
			}
			in := f.input()
			in.Replace = tt.replace
			p, diags := plan.Diff(in)
			if diags.HasErrors() {
				t.Fatal(diagText(diags))
			}
			if len(p.Changes) != len(tt.replace) {
				t.Errorf("changes %v; want only the replaces %v", rows(p), tt.replace)
			}
			warns := warnings(diags)
			if tt.want == "" {
				if len(warns) > 0 || len(p.Warnings) > 0 {
					t.Fatalf("want no warning; got %q, %q", diagText(diags), p.Warnings)
				}
				return
			}
			if len(warns) != 1 || len(p.Warnings) != 1 {
				t.Fatalf("want one warning, in both; got %q and %q", diagText(diags), p.Warnings)
			}
			w := warns[0]
			if !containsAll(w.Detail, strings.Split(tt.want, "…")) || w.Detail != p.Warnings[0] {
				t.Errorf("warning:\n%s\nwant it to say:\n%s\nand the plan to carry it: %q", w.Detail, tt.want, p.Warnings)
			}
			if w.Subject == nil || !strings.HasSuffix(w.Subject.Filename, "main.nova.hcl") || w.Subject.Start.Line != 20 || w.Summary != "Running VMs break the placement rules" {
				t.Errorf("warning at %v (%s); want the placement block, line 20", w.Subject, w.Summary)
			}
			if !strings.Contains(w.Detail, "-replace=") {
				t.Errorf("the warning does not say how to move them: %s", w.Detail)
			}
		})
	}
}

func warnings(diags hcl.Diagnostics) hcl.Diagnostics {
	var out hcl.Diagnostics
	for _, d := range diags {
		if d.Severity == hcl.DiagWarning {
			out = append(out, d)
		}
	}
	return out
}

func containsAll(s string, parts []string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// TestPlacementRulesWarnWithoutSource: a fleet with no source (the
// Terraform provider builds its spec from attributes) is warned of
// without a range, and the text names no file.
func TestPlacementRulesWarnWithoutSource(t *testing.T) {
	f := applied(t, rulesSpec(`spread_by = "host"`))
	for _, fl := range f.spec.Fleets {
		fl.Placement.Range, fl.DeclRange = hcl.Range{}, hcl.Range{}
	}
	p, diags := plan.Diff(f.input())
	warns := warnings(diags)
	if len(warns) != 1 || warns[0].Subject != nil || len(p.Warnings) != 1 ||
		!strings.Contains(p.Warnings[0], "of fleet.web that this plan leaves where they run break its placement block: spread_by") {
		t.Fatalf("want one warning without a range; got %q, %q", diagText(diags), p.Warnings)
	}
}

// BenchmarkDiffNoChangesSpread is BenchmarkDiffNoChanges with every fleet
// spread by host and its VMs spread over 100 hosts: what checking the
// running VMs against the placement rules adds to a plan with nothing to do.
func BenchmarkDiffNoChangesSpread(b *testing.B) {
	body := strings.ReplaceAll(bigSpec(10, 1000), "  memory_gb = 1\n", "  memory_gb = 1\n  placement {\n    spread_by = \"host\"\n  }\n")
	f := applied(b, body)
	f.hosts = hosts(100)
	for i := range f.vms {
		f.vms[i].Host = f.hosts[i%len(f.hosts)].Name
		f.state.VMs[f.vms[i].Marker.Address].Host = f.vms[i].Host
	}
	in := f.input()
	if p := mustDiff(b, in); !p.Empty() || len(p.Warnings) > 0 || len(f.vms) != 10000 {
		b.Fatalf("the benchmark needs 10,000 VMs, no changes and no warning; got %d VMs, %d changes, %q", len(f.vms), len(p.Changes), p.Warnings)
	}
	b.ReportAllocs()
	for b.Loop() {
		plan.Diff(in)
	}
}

// TestPlacementRulesWarnUnderTarget: a -target plan warns only of the
// fleets it covers.
func TestPlacementRulesWarnUnderTarget(t *testing.T) {
	tests := []struct {
		targets []string
		warns   int
	}{
		{[]string{"vm.db"}, 0},
		{[]string{"fleet.web[0]"}, 1},
		{[]string{"fleet.web"}, 1},
		{nil, 1},
	}
	for _, tt := range tests {
		f := applied(t, rulesSpec(`spread_by = "host"`))
		in := f.input()
		in.Targets = tt.targets
		p, diags := plan.Diff(in)
		if diags.HasErrors() {
			t.Fatal(diagText(diags))
		}
		if n := len(warnings(diags)); n != tt.warns || slices.ContainsFunc(p.Warnings, func(w string) bool { return strings.Contains(w, "placement block") }) != (tt.warns > 0) {
			t.Errorf("-target %v: %d placement warnings (%q), want %d", tt.targets, n, p.Warnings, tt.warns)
		}
	}
}
