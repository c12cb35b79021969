package plan_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
)

// webSpec is one web VM (fleet.web[0], live as vm-0001 on hv-01) with
// extra lines added to its fleet block.
func webSpec(extra ...string) string {
	return `
fleet "web" {
  count     = 1
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
  disk_gb   = 40
  tags      = { tier = "web" }
` + strings.Join(extra, "\n") + "\n}\n"
}

// TestDiffExistingVM covers the changes planned for a VM that exists: which
// action, why, and the restart/live/create-before-destroy flags.
func TestDiffExistingVM(t *testing.T) {
	const addr, id = "fleet.web[0]", "vm-0001"
	noCaps := driver.Capabilities{Migrate: true}
	tests := []struct {
		name  string
		spec  string
		caps  *driver.Capabilities // nil: simCaps
		drift func(vm *driver.VM)
		want  []row
	}{{
		name: "cpu grows, hot add", drift: func(vm *driver.VM) { vm.CPU = 1 },
		want: []row{{addr, plan.Update, id, []string{"cpu 1 → 2"}, ""}},
	}, {
		name: "cpu grows past the hot-add ceiling", drift: func(vm *driver.VM) { vm.CPU, vm.MaxCPU = 1, 1 },
		want: []row{{addr, plan.Update, id, []string{"cpu 1 → 2"}, "restart"}},
	}, {
		name: "cpu grows within the hot-add ceiling", drift: func(vm *driver.VM) { vm.CPU, vm.MaxCPU = 1, 2 },
		want: []row{{addr, plan.Update, id, []string{"cpu 1 → 2"}, ""}},
	}, {
		name: "memory grows past the hot-add ceiling", drift: func(vm *driver.VM) { vm.MemoryMiB, vm.MaxMemoryMiB = 2*gib, 3*gib },
		want: []row{{addr, plan.Update, id, []string{"memory 2 GiB → 4 GiB"}, "restart"}},
	}, {
		name: "cpu grows, no hot add", caps: &noCaps, drift: func(vm *driver.VM) { vm.CPU = 1 },
		want: []row{{addr, plan.Update, id, []string{"cpu 1 → 2"}, "restart"}},
	}, {
		name: "memory grows, hot add", drift: func(vm *driver.VM) { vm.MemoryMiB = 2 * gib },
		want: []row{{addr, plan.Update, id, []string{"memory 2 GiB → 4 GiB"}, ""}},
	}, {
		name: "memory grows, no hot add", caps: &noCaps, drift: func(vm *driver.VM) { vm.MemoryMiB = 3584 },
		want: []row{{addr, plan.Update, id, []string{"memory 3584 MiB → 4 GiB"}, "restart"}},
	}, {
		name: "disk grows online", drift: func(vm *driver.VM) { vm.DiskGB = 30 },
		want: []row{{addr, plan.Update, id, []string{"disk 30 GB → 40 GB"}, ""}},
	}, {
		name: "disk grows, not online", caps: &noCaps, drift: func(vm *driver.VM) { vm.DiskGB = 30 },
		want: []row{{addr, plan.Update, id, []string{"disk 30 GB → 40 GB"}, "restart"}},
	}, {
		name: "cpu shrinks: a restart even with hot add", drift: func(vm *driver.VM) { vm.CPU = 4 },
		want: []row{{addr, plan.Update, id, []string{"cpu 4 → 2"}, "restart"}},
	}, {
		name: "memory shrinks: a restart even with hot add", drift: func(vm *driver.VM) { vm.MemoryMiB = 8 * gib },
		want: []row{{addr, plan.Update, id, []string{"memory 8 GiB → 4 GiB"}, "restart"}},
	}, {
		name: "stopped VM resizes without a restart", spec: webSpec(`power = "stopped"`), caps: &noCaps,
		drift: func(vm *driver.VM) { vm.CPU, vm.MemoryMiB = 4, 8*gib },
		want:  []row{{addr, plan.Update, id, []string{"cpu 4 → 2", "memory 8 GiB → 4 GiB"}, ""}},
	}, {
		name: "resize while starting", caps: &noCaps,
		drift: func(vm *driver.VM) { vm.CPU, vm.Power = 1, driver.PowerStopped },
		want:  []row{{addr, plan.Update, id, []string{"cpu 1 → 2", "power stopped → running"}, ""}},
	}, {
		name: "tags change", drift: func(vm *driver.VM) { vm.Tags = map[string]string{"tier": "db", "old": "x"} },
		want: []row{{addr, plan.Update, id, []string{"tags: ~tier, -old"}, ""}},
	}, {
		name: "tags added", drift: func(vm *driver.VM) { vm.Tags = nil },
		want: []row{{addr, plan.Update, id, []string{"tags: +tier"}, ""}},
	}, {
		name: "power only: start", drift: func(vm *driver.VM) { vm.Power = driver.PowerStopped },
		want: []row{{addr, plan.Start, id, []string{"power is stopped; the spec wants running"}, ""}},
	}, {
		name: "power only: stop", spec: webSpec(`power = "stopped"`), drift: func(vm *driver.VM) { vm.Power = driver.PowerRunning },
		want: []row{{addr, plan.Stop, id, []string{"power is running; the spec wants stopped"}, ""}},
	}, {
		name: "disk shrinks: replace", drift: func(vm *driver.VM) { vm.DiskGB = 80 },
		want: []row{{addr, plan.Replace, id, []string{"disk shrinks from 80 GB to 40 GB: a disk cannot shrink in place"}, "host hv-01"}},
	}, {
		name: "name changes: replace", drift: func(vm *driver.VM) { vm.Name = "old-name" },
		want: []row{{addr, plan.Replace, id, []string{`name changes from "old-name" to "web-0": a VM is renamed by replacing it`}, "host hv-01"}},
	}, {
		name: "template changes: replace", drift: func(vm *driver.VM) { vm.Template = debianID },
		want: []row{{addr, plan.Replace, id, []string{`template ubuntu changes from image="debian-12" to image="ubuntu-22.04"`}, "host hv-01"}},
	}, {
		name: "template changes, create before destroy", spec: webSpec(`lifecycle {`, `create_before_destroy = true`, `}`),
		drift: func(vm *driver.VM) { vm.Template, vm.CPU = debianID, 1 },
		want:  []row{{addr, plan.Replace, id, []string{`template ubuntu changes from image="debian-12" to image="ubuntu-22.04"`}, "cbd, host hv-01"}},
	}, {
		name: "host pin changes, running: live migration", spec: webSpec(`host = "hv-03"`),
		drift: func(vm *driver.VM) { vm.Host = "hv-01" },
		want:  []row{{addr, plan.Migrate, id, []string{"host pinned to hv-03; the VM runs on hv-01"}, "live, host hv-03"}},
	}, {
		name: "host pin changes, stopped: cold migration", spec: webSpec(`host = "hv-03"`, `power = "stopped"`),
		drift: func(vm *driver.VM) { vm.Host = "hv-01" },
		want:  []row{{addr, plan.Migrate, id, []string{"host pinned to hv-03; the VM runs on hv-01"}, "host hv-03"}},
	}, {
		name: "host pin changes, no live migration", spec: webSpec(`host = "hv-03"`), caps: &noCaps,
		drift: func(vm *driver.VM) { vm.Host = "hv-01" },
		want:  []row{{addr, plan.Migrate, id, []string{"host pinned to hv-03; the VM runs on hv-01"}, "host hv-03"}},
	}, {
		name: "host pin changes, cannot migrate: replace", spec: webSpec(`host = "hv-03"`), caps: &driver.Capabilities{},
		drift: func(vm *driver.VM) { vm.Host = "hv-01" },
		want:  []row{{addr, plan.Replace, id, []string{"host changes from hv-01 to hv-03 and provider sim.lab cannot migrate"}, "host hv-03"}},
	}, {
		name: "migrate then resize", spec: webSpec(`host = "hv-03"`),
		drift: func(vm *driver.VM) { vm.Host, vm.CPU = "hv-01", 1 },
		want: []row{
			{addr, plan.Migrate, id, []string{"host pinned to hv-03; the VM runs on hv-01"}, "live, host hv-03"},
			{addr, plan.Update, id, []string{"cpu 1 → 2"}, ""},
		},
	}, {
		name: "unpinned VM may live on any host", drift: func(vm *driver.VM) { vm.Host = "hv-04" },
		want: []row{},
	}, {
		name: "ignore_changes", spec: webSpec(`host = "hv-03"`, `lifecycle {`, `ignore_changes = [cpu, memory_gb, disk_gb, power, tags, host]`, `}`),
		drift: func(vm *driver.VM) {
			vm.Host, vm.CPU, vm.MemoryMiB, vm.DiskGB, vm.Power, vm.Tags = "hv-01", 9, 9*gib, 90, driver.PowerStopped, nil
		},
		want: []row{},
	}, {
		name: "ignore_changes leaves the rest", spec: webSpec(`lifecycle {`, `ignore_changes = [tags]`, `}`),
		drift: func(vm *driver.VM) { vm.Tags, vm.CPU = nil, 1 },
		want:  []row{{addr, plan.Update, id, []string{"cpu 1 → 2"}, ""}},
	}, {
		name: "the driver cannot tell the template: state's is trusted", drift: func(vm *driver.VM) { vm.Template = "" },
		want: []row{},
	}, {
		name: "the driver cannot tell the disk size: no disk change", drift: func(vm *driver.VM) { vm.DiskGB = 0 },
		want: []row{},
	}, {
		name: "unknown disk size, cpu grows: the update leaves the disk", drift: func(vm *driver.VM) { vm.DiskGB, vm.CPU = 0, 1 },
		want: []row{{addr, plan.Update, id, []string{"cpu 1 → 2"}, ""}},
	}, {
		name: "unknown disk size, stopped, no online growth: no restart for the disk", caps: &noCaps,
		drift: func(vm *driver.VM) { vm.DiskGB, vm.Tags = 0, nil },
		want:  []row{{addr, plan.Update, id, []string{"tags: +tier"}, ""}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := tt.spec
			if spec == "" {
				spec = webSpec()
			}
			f := applied(t, spec)
			if tt.caps != nil {
				f.caps = *tt.caps
			}
			tt.drift(f.vm(t, id))
			if diff := cmp.Diff(tt.want, rows(mustDiff(t, f.input()))); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDiffTemplateFromState checks that when the driver cannot tell a VM's
// template, a change against the template recorded in state still replaces.
func TestDiffTemplateFromState(t *testing.T) {
	f := applied(t, webSpec())
	f.vm(t, "vm-0001").Template = ""
	f.state.VMs["fleet.web[0]"].Template = debianID
	want := []row{{"fleet.web[0]", plan.Replace, "vm-0001", []string{`template ubuntu changes from image="debian-12" to image="ubuntu-22.04"`}, "host hv-01"}}
	if diff := cmp.Diff(want, rows(mustDiff(t, f.input()))); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}

// TestDiffUnknownDiskSize: a driver that cannot tell a disk's size reports
// 0. Planning against that made every plan "~ disk_gb = 0 → 40" and every
// apply fail; no disk change is planned, and a replacement still makes
// the new VM with the spec's disk.
func TestDiffUnknownDiskSize(t *testing.T) {
	f := applied(t, webSpec())
	vm := f.vm(t, "vm-0001")
	vm.DiskGB, vm.CPU = 0, 1
	got := mustDiff(t, f.input()).Changes
	if len(got) != 1 || got[0].Before.DiskGB != 0 || got[0].After.DiskGB != 0 {
		t.Fatalf("want one update leaving the unknown disk size alone; got %+v", rows(&plan.Plan{Changes: got}))
	}
	vm.Template = debianID
	got = mustDiff(t, f.input()).Changes
	if len(got) != 1 || got[0].Action != plan.Replace || got[0].After.DiskGB != 40 {
		t.Errorf("want a replace that creates a 40 GB disk; got %+v", got)
	}
}

// TestDiffUpdateAttrs checks before and after of an update in full: after
// is the spec, before the live VM.
func TestDiffUpdateAttrs(t *testing.T) {
	f := applied(t, webSpec())
	vm := f.vm(t, "vm-0001")
	vm.CPU, vm.Tags = 1, map[string]string{"tier": "db"}
	got := mustDiff(t, f.input()).Changes
	want := []*plan.Change{{
		Address: "fleet.web[0]", Fleet: "fleet.web", Action: plan.Update, ID: "vm-0001",
		Before: &plan.Attrs{
			Provider: pk, Name: "web-0", Host: "hv-01", CPU: 1, MemoryMiB: 4 * gib, DiskGB: 40, Power: driver.PowerRunning,
			Template: ubuntuID, TemplateName: "ubuntu", Tags: map[string]string{"tier": "db"},
		},
		After: &plan.Attrs{
			Provider: pk, Name: "web-0", Host: "hv-01", CPU: 2, MemoryMiB: 4 * gib, DiskGB: 40, Power: driver.PowerRunning,
			Template: ubuntuID, TemplateName: "ubuntu", Tags: map[string]string{"tier": "web"},
		},
		Reasons: []string{"cpu 1 → 2", "tags: ~tier"},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}
