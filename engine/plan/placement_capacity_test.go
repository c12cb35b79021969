package plan_test

import (
	"strings"
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
)

// A provider whose stopped VMs hold no capacity (libvirt) places new VMs
// beside stopped ones, and checks room when a stopped VM starts.
func TestStoppedVMsAndCapacity(t *testing.T) {
	const oneHost = `
fleet "big" {
  count     = 1
  template  = template.ubuntu
  cpu       = 24
  memory_gb = 64
  power     = "stopped"
}
fleet "web" {
  count     = 1
  template  = template.ubuntu
  cpu       = 16
  memory_gb = 64
}
`
	for _, tc := range []struct {
		name string
		free bool
		want string // "" for a plan, else the error summary
	}{
		{"stopped VMs hold capacity", false, "No host can take the VM"},
		{"stopped VMs hold none", true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := applied(t, oneHost)
			f.hosts = hosts(1) // 32 vCPU: big (24, stopped) and web (16) fit only if big holds nothing
			f.vms = f.vms[:1]  // web does not exist yet
			delete(f.state.VMs, "fleet.web[0]")
			f.caps.StoppedUseNoCapacity = tc.free
			p, diags := plan.Diff(f.input())
			if tc.want == "" {
				if diags.HasErrors() || len(p.Changes) != 1 || p.Changes[0].Action != plan.Create {
					t.Fatalf("want one create beside the stopped VM; got %v, %s", p, diagText(diags))
				}
				return
			}
			if !diags.HasErrors() || !strings.Contains(diagText(diags), tc.want) {
				t.Fatalf("want %q; got %s", tc.want, diagText(diags))
			}
		})
	}
}

func TestStartNeedsRoomWhenStoppedVMsAreFree(t *testing.T) {
	const specText = `
fleet "big" {
  count     = 1
  template  = template.ubuntu
  cpu       = 24
  memory_gb = 64
}
fleet "web" {
  count     = 1
  template  = template.ubuntu
  cpu       = 16
  memory_gb = 64
}
`
	f := applied(t, specText)
	f.hosts = hosts(1)
	f.caps.StoppedUseNoCapacity = true
	f.vm(t, "vm-0001").Power = driver.PowerStopped // big was stopped out of band; web (16 vCPU) runs, so big (24) cannot start
	_, diags := plan.Diff(f.input())
	if !strings.Contains(diagText(diags), "Not enough capacity for the change") || !strings.Contains(diagText(diags), "fleet.big[0] cannot start") {
		t.Fatalf("want a capacity error for starting fleet.big[0]; got %s", diagText(diags))
	}
}

// A fleet that does not fit (one host takes one of its VMs) is one detailed
// error and one count, not an error per VM.
func TestUnplaceableFleetIsOneProblem(t *testing.T) {
	f := &fixture{spec: loadSpec(t, `
fleet "web" {
  count     = 6
  template  = template.ubuntu
  cpu       = 20
  memory_gb = 4
}
`), hosts: hosts(1), caps: simCaps}
	_, diags := plan.Diff(f.input())
	if len(diags) != 2 {
		t.Fatalf("want 2 diagnostics, got %d:\n%s", len(diags), diagText(diags))
	}
	if want := "4 more VMs of fleet.web cannot be placed either (fleet.web[2] … fleet.web[5])."; diags[1].Detail != want {
		t.Errorf("second diagnostic %q, want %q", diags[1].Detail, want)
	}
}

// A stopped VM the platform has not placed (a halted Xen VM without
// affinity, left by an interrupted create) has no host: starting it needs
// room on some host, which the platform chooses. The plan checks that one
// has room and never reports "no such host".
func TestStartOfAnUnplacedVM(t *testing.T) {
	const specText = `
fleet "web" {
  count     = 2
  template  = template.ubuntu
  cpu       = 16
  memory_gb = 64
}
`
	for _, tc := range []struct {
		name    string
		hostCPU int
		want    string // "" for two starts, else the error
	}{
		{"room for both", 32, ""},
		{"room for one", 16, "fleet.web[1] cannot start: no host has room for 16 vCPU and 64 GiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := applied(t, specText)
			f.hosts = hosts(1)
			f.hosts[0].CPU = tc.hostCPU
			f.caps.StoppedUseNoCapacity = true
			for _, vm := range f.vms {
				f.vm(t, vm.ID).Power = driver.PowerStopped
				f.vm(t, vm.ID).Host = ""
			}
			p, diags := plan.Diff(f.input())
			text := diagText(diags)
			if strings.Contains(text, "no such host") {
				t.Fatalf("the plan blames a host the VM does not have: %s", text)
			}
			if tc.want != "" {
				if !strings.Contains(text, tc.want) {
					t.Fatalf("want %q; got %s", tc.want, text)
				}
				return
			}
			if diags.HasErrors() || len(p.Changes) != 2 {
				t.Fatalf("want two starts; got %v, %s", p, text)
			}
			for _, c := range p.Changes {
				if c.Action != plan.Start || c.After.Power != driver.PowerRunning || c.After.Host != "" {
					t.Errorf("%s: %s to power %s on host %q; want a start where the platform chooses", c.Address, c.Action, c.After.Power, c.After.Host)
				}
			}
		})
	}
}
