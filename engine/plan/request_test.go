package plan_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
)

// PlanRequest plans what is asked of one VM, or says why it cannot.
func TestPlanRequest(t *testing.T) {
	const body = `
fleet "web" {
  template  = template.ubuntu
  count     = 2
  cpu       = 4
  memory_gb = 8
}
vm "off" {
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 2
  power     = "stopped"
}
`
	tests := []struct {
		name   string
		r      plan.VMRequest
		caps   func(*driver.Capabilities)
		full   bool     // hv-02 has no room left
		want   []string // action host power, in order
		live   bool
		refuse string
	}{
		{name: "start a stopped VM", r: plan.VMRequest{Address: "vm.off", Action: "start"}, want: []string{"start hv-01 running"}},
		{name: "start a running VM", r: plan.VMRequest{Address: "fleet.web[0]", Action: "start"}, want: []string{}},
		{name: "stop", r: plan.VMRequest{Address: "fleet.web[1]", Action: "stop"}, want: []string{"stop hv-01 stopped"}},
		{name: "restart", r: plan.VMRequest{Address: "fleet.web[0]", Action: "restart"}, want: []string{"stop hv-01 stopped", "start hv-01 running"}},
		{name: "restart a stopped VM", r: plan.VMRequest{Address: "vm.off", Action: "restart"}, refuse: "start it instead"},
		{name: "migrate live", r: plan.VMRequest{Address: "fleet.web[0]", Action: "migrate", Host: "hv-02", Live: true}, want: []string{"migrate hv-02 running"}, live: true},
		{name: "migrate a stopped VM", r: plan.VMRequest{Address: "vm.off", Action: "migrate", Host: "hv-03", Live: true}, want: []string{"migrate hv-03 stopped"}},
		{name: "migrate to a full host", r: plan.VMRequest{Address: "fleet.web[0]", Action: "migrate", Host: "hv-02"}, full: true, refuse: "insufficient capacity on hv-02"},
		{name: "migrate to no such host", r: plan.VMRequest{Address: "fleet.web[0]", Action: "migrate", Host: "hv-09"}, refuse: "has no host hv-09"},
		{name: "migrate where it is", r: plan.VMRequest{Address: "fleet.web[0]", Action: "migrate", Host: "hv-01"}, refuse: "already runs on hv-01"},
		{name: "migrate without the capability", r: plan.VMRequest{Address: "fleet.web[0]", Action: "migrate", Host: "hv-02"},
			caps: func(c *driver.Capabilities) { c.Migrate = false }, refuse: "cannot migrate VMs"},
		{name: "migrate live without the capability", r: plan.VMRequest{Address: "fleet.web[0]", Action: "migrate", Host: "hv-02", Live: true},
			caps: func(c *driver.Capabilities) { c.LiveMigrate = false }, refuse: "cannot migrate a running VM live"},
		{name: "no such VM", r: plan.VMRequest{Address: "fleet.web[5]", Action: "stop"}, refuse: "The state records no VM at fleet.web[5]"},
		{name: "unknown action", r: plan.VMRequest{Address: "fleet.web[0]", Action: "reboot"}, refuse: "is not an action"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := applied(t, body)
			if tt.caps != nil {
				tt.caps(&f.caps)
			}
			if tt.full {
				f.vms = append(f.vms, driver.VM{ID: "big", Name: "big", Host: "hv-02", CPU: 30, MemoryMiB: 8 * gib, Power: driver.PowerRunning})
			}
			p, diags := plan.PlanRequest(f.input(), tt.r)
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
				got = append(got, c.Action.String()+" "+c.After.Host+" "+string(c.After.Power))
				if c.Address != tt.r.Address || c.Live != tt.live || len(c.Reasons) != 1 {
					t.Errorf("change %+v", c)
				}
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("changes (-want +got):\n%s", d)
			}
			if p.StateSerial != 7 || !p.StateExists || p.Lineage != lineage || p.SpecDigest != f.spec.Digest {
				t.Errorf("the plan is not pinned to the state and spec: %+v", p)
			}
		})
	}
}
