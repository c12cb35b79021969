package plan_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
)

// PlanRequests plans several migrations as one plan: a host's room counts
// the VMs earlier requests move onto it, the fleet's rollout cuts them
// into batches, and any refusal is no plan.
func TestPlanRequests(t *testing.T) {
	const body = `
fleet "web" {
  template  = template.ubuntu
  count     = 2
  cpu       = 4
  memory_gb = 8
  rollout { batch_size = 1 }
}
`
	move := func(addr string) plan.VMRequest {
		return plan.VMRequest{Address: addr, Action: plan.RequestMigrate, Host: "hv-02", Live: true, Reason: "rebalance"}
	}
	tests := []struct {
		name   string
		bigCPU int // a foreign VM on hv-02
		rs     []plan.VMRequest
		want   []string // address host batch
		refuse string
	}{
		{name: "both fit", bigCPU: 24, rs: []plan.VMRequest{move("fleet.web[0]"), move("fleet.web[1]")},
			want: []string{"fleet.web[0] hv-02 1", "fleet.web[1] hv-02 2"}},
		{name: "the second finds the first there", bigCPU: 26, rs: []plan.VMRequest{move("fleet.web[0]"), move("fleet.web[1]")},
			refuse: "fleet.web[1] cannot move to hv-02: insufficient capacity on hv-02"},
		{name: "only migrations", rs: []plan.VMRequest{{Address: "fleet.web[0]", Action: plan.RequestStop}},
			refuse: "holds only migrations"},
		{name: "no such VM", rs: []plan.VMRequest{move("fleet.web[7]")}, refuse: "The state records no VM at fleet.web[7]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := applied(t, body)
			if tt.bigCPU > 0 {
				f.vms = append(f.vms, driver.VM{ID: "big", Name: "big", Host: "hv-02", CPU: tt.bigCPU, MemoryMiB: 8 * gib, Power: driver.PowerRunning})
			}
			in := f.input()
			before := len(in.Inventories[pk].VMs)
			p, diags := plan.PlanRequests(in, tt.rs)
			if n := len(in.Inventories[pk].VMs); n != before {
				t.Errorf("PlanRequests changed its input's inventory: %d VMs, was %d", n, before)
			}
			if tt.refuse != "" {
				if !diags.HasErrors() || !strings.Contains(diags.Error(), tt.refuse) {
					t.Fatalf("diagnostics %v, want an error saying %q", diags, tt.refuse)
				}
				return
			}
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			got := []string{}
			for _, c := range p.Changes {
				got = append(got, c.Address+" "+c.After.Host+" "+string(rune('0'+c.Batch)))
				if c.Action != plan.Migrate || !c.Live || c.Reasons[0] != "rebalance" {
					t.Errorf("change %+v", c)
				}
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("changes (-want +got):\n%s", d)
			}
		})
	}
}
