package spec

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
)

func TestTemplateReference(t *testing.T) {
	tests := []struct {
		name, ref string
	}{
		{"reference with a dot in the name", "template.ubuntu-22.04"},
		{"string with the name", `"ubuntu-22.04"`},
		{"string with the full reference", `"template.ubuntu-22.04"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustLoad(t, map[string]string{"main.nova.hcl": simPreamble + `
template "ubuntu-22" {
  sim { image = "wrong" }
}
vm "a" {
  template = ` + tt.ref + `
  cpu = 1
  memory_gb = 1
}`}, Options{})
			f := s.Fleets[0]
			if f.Template == nil || f.Template != s.Templates["ubuntu-22.04"] {
				t.Fatalf("Template = %+v, want the ubuntu-22.04 block", f.Template)
			}
			want := driver.TemplateRef{Name: "ubuntu-22.04", Config: driver.Config{"image": "ubuntu-22.04"}}
			if diff := cmp.Diff(want, f.TemplateRef); diff != "" {
				t.Errorf("TemplateRef (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProviderSelection(t *testing.T) {
	const tmpl = `
template "t" {
  sim { image = "i" }
}
`
	t.Run("the only provider is the default", func(t *testing.T) {
		s := mustLoad(t, map[string]string{"main.nova.hcl": `provider "sim" "only" {}` + tmpl +
			`vm "a" {
  template = template.t
  cpu = 1
  memory_gb = 1
}`}, Options{})
		if p := s.Fleets[0].Provider; p == nil || p.Key() != "sim.only" {
			t.Errorf("Provider = %v, want sim.only", p)
		}
	})
	t.Run("an explicit choice among two", func(t *testing.T) {
		s := mustLoad(t, map[string]string{"main.nova.hcl": `
provider "sim" "a" {}
provider "sim" "b" {
  hosts = 2
}` + tmpl + `
vm "x" {
  provider = provider.sim.b
  template = template.t
  cpu = 1
  memory_gb = 1
}
vm "y" {
  provider = "sim.a"
  template = template.t
  cpu = 1
  memory_gb = 1
}`}, Options{})
		got := []string{s.Fleets[0].Provider.Key(), s.Fleets[1].Provider.Key()}
		if diff := cmp.Diff([]string{"sim.b", "sim.a"}, got); diff != "" {
			t.Errorf("providers (-want +got):\n%s", diff)
		}
		if n := s.Providers["sim.b"].Config.Int("hosts"); n != 2 {
			t.Errorf("sim.b hosts = %d, want 2", n)
		}
		if n := s.Providers["sim.a"].Config.Int("hosts"); n != 4 {
			t.Errorf("sim.a hosts = %d, want the default 4", n)
		}
	})
	t.Run("two providers and no choice", func(t *testing.T) {
		diags := mustFail(t, map[string]string{"main.nova.hcl": `
provider "sim" "a" {}
provider "sim" "b" {}` + tmpl + `
vm "x" {
  template = template.t
  cpu = 1
  memory_gb = 1
}`}, Options{})
		subjectAt(t, findDiag(t, diags, "Missing provider"), "main.nova.hcl", 8)
	})
}

// fleetBlocks is what TestFleetBlocks compares of a Fleet.
type fleetBlocks struct {
	DependsOn []string
	Placement Placement
	Rollout   *Rollout
	Lifecycle Lifecycle
}

func TestFleetBlocks(t *testing.T) {
	tests := []struct {
		name, body string
		want       fleetBlocks
	}{{
		name: "none",
	}, {
		name: "depends_on fleets and vms",
		body: `depends_on = [fleet.db, vm.cache-01]`,
		want: fleetBlocks{DependsOn: []string{"fleet.db", "vm.cache-01"}},
	}, {
		name: "placement",
		body: "placement {\n spread_by = \"host\"\n}",
		want: fleetBlocks{Placement: Placement{SpreadBy: "host"}},
	}, {
		name: "spread_by none",
		body: "placement {\n spread_by = \"none\"\n}",
	}, {
		name: "rollout: max_unavailable defaults to batch_size",
		body: "rollout {\n batch_size = 3\n}",
		want: fleetBlocks{Rollout: &Rollout{BatchSize: 3, MaxUnavailable: 3}},
	}, {
		name: "rollout with max_unavailable",
		body: "rollout {\n batch_size = 4\n max_unavailable = 1\n}",
		want: fleetBlocks{Rollout: &Rollout{BatchSize: 4, MaxUnavailable: 1}},
	}, {
		name: "lifecycle",
		body: "lifecycle {\n prevent_destroy = true\n create_before_destroy = true\n ignore_changes = [tags, cpu]\n}",
		want: fleetBlocks{Lifecycle: Lifecycle{PreventDestroy: true, CreateBeforeDestroy: true, IgnoreChanges: []string{"tags", "cpu"}}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustLoad(t, map[string]string{"main.nova.hcl": simPreamble + `
fleet "db" {
  template = template.ubuntu-22.04
  cpu = 1
  memory_gb = 1
}
vm "cache-01" {
  template = template.ubuntu-22.04
  cpu = 1
  memory_gb = 1
}
fleet "web" {
  count = 2
  template = template.ubuntu-22.04
  cpu = 1
  memory_gb = 1
  ` + tt.body + `
}`}, Options{})
			f := s.Fleets[2]
			pl := f.Placement
			if has := strings.Contains(tt.body, "placement {"); (pl.Range.Start.Line > 0) != has {
				t.Errorf("placement block at %v; the body has one: %v", pl.Range, has)
			}
			pl.Range = hcl.Range{} // checked above
			got := fleetBlocks{f.DependsOn, pl, f.Rollout, f.Lifecycle}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", f.Address(), diff)
			}
		})
	}
}

func TestLifecycleIgnores(t *testing.T) {
	l := Lifecycle{IgnoreChanges: []string{"tags"}}
	if !l.Ignores("tags") || l.Ignores("cpu") {
		t.Errorf("Ignores: tags %v, cpu %v; want true, false", l.Ignores("tags"), l.Ignores("cpu"))
	}
}

func TestFleetsInSourceOrder(t *testing.T) {
	vm := func(kind, name string) string {
		return kind + ` "` + name + `" {
  template = template.ubuntu-22.04
  cpu = 1
  memory_gb = 1
}
`
	}
	s := mustLoad(t, map[string]string{
		"a.nova.hcl": simPreamble + vm("vm", "z") + vm("fleet", "y") + vm("vm", "x"),
		"b.nova.hcl": vm("fleet", "b") + vm("vm", "a"),
	}, Options{})
	var got []string
	for _, f := range s.Fleets {
		got = append(got, f.Address())
	}
	want := []string{"vm.z", "fleet.y", "vm.x", "fleet.b", "vm.a"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("fleet order (-want +got):\n%s", diff)
	}
	web := s.Fleets[1]
	if r := web.Range("cpu"); r.Start.Line != 13 {
		t.Errorf("Range(cpu) is at line %d, want 13", r.Start.Line)
	}
	if r := web.Range("host"); r != web.DeclRange {
		t.Errorf("Range of an unset attribute = %v, want the block's %v", r, web.DeclRange)
	}
}
