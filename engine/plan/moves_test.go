package plan_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/plan"
)

// fleetOf3 is a fleet of three VMs whose names do not depend on the
// fleet block's name.
func fleetOf3(name string, count int) string {
	return strings.NewReplacer("NAME", name, "COUNT", string(rune('0'+count))).Replace(`
fleet "NAME" {
  count     = COUNT
  name      = "web-${count.index}"
  template  = template.ubuntu
  cpu       = 1
  memory_gb = 1
}
`)
}

// moveSummary is "ADDRESS ACTION from PREVIOUS" per change.
func moveSummary(p *plan.Plan) []string {
	var out []string
	for _, c := range p.Changes {
		s := c.Address + " " + c.Action.String()
		if c.PreviousAddress != "" {
			s += " from " + c.PreviousAddress
		}
		if c.Action == plan.Move && c.Imported {
			s += " (marker)"
		}
		out = append(out, s)
	}
	return out
}

func TestDiffMoves(t *testing.T) {
	const move = "moved {\n  from = fleet.web\n  to   = fleet.fe\n}\n"
	tests := []struct {
		name  string
		spec  string
		setup func(f *fixture) // the inventory and state, changed
		want  []string
	}{
		{
			name: "a fleet renamed", spec: fleetOf3("fe", 3) + move,
			want: []string{"fleet.fe[0] move from fleet.web[0] (marker)", "fleet.fe[1] move from fleet.web[1] (marker)", "fleet.fe[2] move from fleet.web[2] (marker)"},
		},
		{
			name: "a fleet renamed and shrunk: the VM left out is deleted at its new address", spec: fleetOf3("fe", 2) + move,
			want: []string{"fleet.fe[0] move from fleet.web[0] (marker)", "fleet.fe[1] move from fleet.web[1] (marker)", "fleet.fe[2] delete from fleet.web[2]"},
		},
		{
			name: "markers already rewritten: only the state moves", spec: fleetOf3("fe", 3) + move,
			setup: func(f *fixture) {
				for i := range f.vms {
					f.vms[i].Marker.Address = strings.Replace(f.vms[i].Marker.Address, "fleet.web", "fleet.fe", 1)
				}
			},
			want: []string{"fleet.fe[0] move from fleet.web[0]", "fleet.fe[1] move from fleet.web[1]", "fleet.fe[2] move from fleet.web[2]"},
		},
		{
			name: "a VM gone from the inventory moves in the state, and is created again", spec: fleetOf3("fe", 3) + move,
			setup: func(f *fixture) { f.vms = f.vms[:2] },
			want:  []string{"fleet.fe[0] move from fleet.web[0] (marker)", "fleet.fe[1] move from fleet.web[1] (marker)", "fleet.fe[2] move from fleet.web[2]", "fleet.fe[2] create from fleet.web[2]"},
		},
		{
			name: "a VM the state lost (a crash before it was saved) is adopted at its new address, its marker rewritten", spec: fleetOf3("fe", 3) + move,
			setup: func(f *fixture) { delete(f.state.VMs, "fleet.web[2]") },
			want:  []string{"fleet.fe[0] move from fleet.web[0] (marker)", "fleet.fe[1] move from fleet.web[1] (marker)", "fleet.fe[2] adopt from fleet.web[2]"},
		},
		{
			name: "removed with destroy = false", spec: "removed {\n  from = fleet.web\n  lifecycle {\n    destroy = false\n  }\n}\n",
			want: []string{"fleet.web[0] forget", "fleet.web[1] forget", "fleet.web[2] forget"},
		},
		{
			name: "a forget that stopped before it abandoned the VM is planned again", spec: "removed {\n  from = fleet.web[1]\n  lifecycle {\n    destroy = false\n  }\n}\n" + fleetOf3("web", 1) + `
fleet "x" {
  count     = 0
  template  = template.ubuntu
  cpu       = 1
  memory_gb = 1
}`,
			setup: func(f *fixture) { delete(f.state.VMs, "fleet.web[1]") },
			want:  []string{"fleet.web[1] forget", "fleet.web[2] delete"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := applied(t, fleetOf3("web", 3))
			if tt.setup != nil {
				tt.setup(f)
			}
			f.spec = loadSpec(t, tt.spec)
			if diff := cmp.Diff(tt.want, moveSummary(mustDiff(t, f.input()))); diff != "" {
				t.Errorf("plan (-want +got):\n%s", diff)
			}
		})
	}
}

// A move onto an address the state records for another VM, and two VMs
// moved to one address, are refused at the moved block.
func TestDiffMovesRefused(t *testing.T) {
	f := applied(t, fleetOf3("web", 2)+strings.Replace(fleetOf3("fe", 1), `"web-${count.index}"`, `"fe-${count.index}"`, 1))
	f.spec = loadSpec(t, strings.Replace(fleetOf3("fe", 2), `"web-${count.index}"`, `"fe-${count.index}"`, 1)+"moved {\n  from = fleet.web\n  to   = fleet.fe\n}\n")
	_, diags := plan.Diff(f.input())
	got := diagRows(diags)
	if len(got) != 1 || got[0].Summary != "Move to an address the state records" || got[0].Subject == "" ||
		!strings.Contains(got[0].Detail, "the state already records VM vm-0003 at fleet.fe[0]") || !strings.Contains(got[0].Detail, "The moved block at ") {
		t.Errorf("diagnostics: %+v", got)
	}
}
