package plan_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
)

// rolloutSpec is a fleet "web" of count VMs with a rollout block and extra
// lines.
func rolloutSpec(count int, rollout string, extra string) string {
	return fmt.Sprintf(`
fleet "web" {
  count     = %d
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
  tags      = { tier = "web" }
  rollout {
    %s
  }
  %s
}
`, count, rollout, extra)
}

func batches(p *plan.Plan) []string {
	out := []string{}
	for _, c := range p.Changes {
		out = append(out, fmt.Sprintf("%s %s: %d", c.Action, c.Address, c.Batch))
	}
	return out
}

// TestRolloutBatches checks how a rollout cuts the changes to existing VMs
// into batches.
func TestRolloutBatches(t *testing.T) {
	cpuDrift := func(i int, vm *driver.VM) { vm.CPU = 1 }
	tests := []struct {
		name  string
		spec  string
		caps  driver.Capabilities
		drift func(i int, vm *driver.VM) // on the live VM of fleet.web[i]
		want  []string
	}{{
		name: "batch_size 2 over 6 updates", spec: rolloutSpec(6, "batch_size = 2", ""), caps: simCaps, drift: cpuDrift,
		want: []string{
			"update fleet.web[0]: 1", "update fleet.web[1]: 1", "update fleet.web[2]: 2",
			"update fleet.web[3]: 2", "update fleet.web[4]: 3", "update fleet.web[5]: 3",
		},
	}, {
		name: "max_unavailable 1: one restart per batch",
		spec: rolloutSpec(6, "batch_size = 3\n max_unavailable = 1", ""), caps: driver.Capabilities{},
		drift: func(i int, vm *driver.VM) {
			if i == 0 || i == 2 || i == 5 {
				vm.CPU = 1 // restart: no hot add
			} else {
				vm.Tags = nil // in place
			}
		},
		want: []string{
			"update fleet.web[0]: 1", "update fleet.web[1]: 1", "update fleet.web[2]: 2",
			"update fleet.web[3]: 2", "update fleet.web[4]: 2", "update fleet.web[5]: 3",
		},
	}, {
		name: "only restarts, max_unavailable 1", spec: rolloutSpec(3, "batch_size = 3\n max_unavailable = 1", ""),
		caps: driver.Capabilities{}, drift: cpuDrift,
		want: []string{"update fleet.web[0]: 1", "update fleet.web[1]: 2", "update fleet.web[2]: 3"},
	}, {
		name: "stops count as unavailable", spec: rolloutSpec(4, "batch_size = 4\n max_unavailable = 2", `power = "stopped"`),
		caps: simCaps, drift: func(i int, vm *driver.VM) { vm.Power = driver.PowerRunning },
		want: []string{"stop fleet.web[0]: 1", "stop fleet.web[1]: 1", "stop fleet.web[2]: 2", "stop fleet.web[3]: 2"},
	}, {
		name: "migrate and update of one VM share a batch",
		spec: rolloutSpec(3, "batch_size = 1", `host = "hv-0${count.index + 2}"`), caps: simCaps,
		drift: func(i int, vm *driver.VM) { vm.Host, vm.CPU = "hv-01", 1 },
		want: []string{
			"migrate fleet.web[0]: 1", "update fleet.web[0]: 1", "migrate fleet.web[1]: 2",
			"update fleet.web[1]: 2", "migrate fleet.web[2]: 3", "update fleet.web[2]: 3",
		},
	}, {
		name: "replaces are disruptive", spec: rolloutSpec(4, "batch_size = 4\n max_unavailable = 2", ""), caps: simCaps,
		drift: func(i int, vm *driver.VM) { vm.Template = debianID },
		want:  []string{"replace fleet.web[0]: 1", "replace fleet.web[1]: 1", "replace fleet.web[2]: 2", "replace fleet.web[3]: 2"},
	}, {
		name: "create-before-destroy replaces are not",
		spec: rolloutSpec(4, "batch_size = 4\n max_unavailable = 1", "lifecycle {\n create_before_destroy = true\n }"), caps: simCaps,
		drift: func(i int, vm *driver.VM) { vm.Template = debianID },
		want:  []string{"replace fleet.web[0]: 1", "replace fleet.web[1]: 1", "replace fleet.web[2]: 1", "replace fleet.web[3]: 1"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := applied(t, tt.spec)
			f.caps = tt.caps
			for i := range f.vms {
				tt.drift(i, &f.vms[i])
			}
			if diff := cmp.Diff(tt.want, batches(mustDiff(t, f.input()))); diff != "" {
				t.Errorf("batches (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRolloutSkipsCreatesAndDeletes: new VMs and deletes are not batched,
// and an adoption stays outside the batch of the update that follows it.
func TestRolloutSkipsCreatesAndDeletes(t *testing.T) {
	f := applied(t, rolloutSpec(5, "batch_size = 2", ""))
	f.spec = loadSpec(t, rolloutSpec(6, "batch_size = 2", ""))
	delete(f.state.VMs, "fleet.web[1]")
	addVM(f, "fleet.web[9]", "vm-0009")
	for i := range f.vms {
		f.vms[i].CPU = 1
	}
	want := []string{
		"update fleet.web[0]: 1", "adopt fleet.web[1]: 0", "update fleet.web[1]: 1", "update fleet.web[2]: 2",
		"update fleet.web[3]: 2", "update fleet.web[4]: 3", "create fleet.web[5]: 0", "delete fleet.web[9]: 0",
	}
	if diff := cmp.Diff(want, batches(mustDiff(t, f.input()))); diff != "" {
		t.Errorf("batches (-want +got):\n%s", diff)
	}
}

// TestRolloutOnlyItsFleet: a fleet without a rollout block is not batched.
func TestRolloutOnlyItsFleet(t *testing.T) {
	f := applied(t, rolloutSpec(2, "batch_size = 1", "")+`
fleet "api" {
  count     = 2
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
}
`)
	for i := range f.vms {
		f.vms[i].CPU = 1
	}
	want := []string{"update fleet.api[0]: 0", "update fleet.api[1]: 0", "update fleet.web[0]: 1", "update fleet.web[1]: 2"}
	if diff := cmp.Diff(want, batches(mustDiff(t, f.input()))); diff != "" {
		t.Errorf("batches (-want +got):\n%s", diff)
	}
}
