package rebalance

import (
	"fmt"
	"math"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
)

// MaxUseOverAllocation is the most a VM can use of what it is allocated,
// by the -utilization file (docs/scheduling.md), in each dimension: a
// measured cpu.time counts QEMU's own threads besides the vCPUs, and a
// resident size QEMU's own memory, so a small VM's figures can pass its
// allocation; twice it is a mistake in the file (a wrong unit such as
// millicores or percent, a wrong VM, an overflow) and is refused.
const MaxUseOverAllocation = 2.0

// checkUse refuses a VM's use figures (now, and each history sample)
// that are not finite or are above its allocation by more than the
// bounds, at the VM's entry in the file.
func checkUse(addr string, u *Usage, vm driver.VM) hcl.Diagnostics {
	type figure struct {
		what     string
		cpu, mem float64
	}
	var figs []figure
	if u.CPU != nil && u.MemoryMiB != nil {
		figs = append(figs, figure{"", *u.CPU, *u.MemoryMiB})
	}
	for i, s := range u.Samples {
		figs = append(figs, figure{fmt.Sprintf(" (sample %d, %s)", i+1, s.Time.Format("2006-01-02T15:04:05Z07:00")), s.CPU, s.MemoryMiB})
	}
	maxCPU, maxMem := float64(vm.CPU)*MaxUseOverAllocation, float64(vm.MemoryMiB)*MaxUseOverAllocation
	for _, f := range figs {
		var why string
		switch {
		case !finite(f.cpu) || !finite(f.mem):
			why = fmt.Sprintf("a use of cpu %g, memory_mib %g is not a finite number", f.cpu, f.mem)
		case f.cpu > maxCPU:
			why = fmt.Sprintf("cpu %g cores is more than %g × the VM's %d vCPUs (%g)", f.cpu, MaxUseOverAllocation, vm.CPU, maxCPU)
		case f.mem > maxMem:
			why = fmt.Sprintf("memory_mib %g is more than %g × the VM's %d MiB (%g)", f.mem, MaxUseOverAllocation, vm.MemoryMiB, maxMem)
		default:
			continue
		}
		r := u.Range
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Use out of bounds", Subject: &r,
			Detail: fmt.Sprintf("%s:%d:%d: %q%s: %s; check the file's units (cores, MiB) and address.", r.Filename, r.Start.Line, r.Start.Column, addr, f.what, why)}}
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
