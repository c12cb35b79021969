package xentest

import (
	"fmt"
	"slices"
)

func init() {
	reg("VM.get_all_records", "", false, func(s *Server, p *params) (any, *xerr) { return values(s.vms), nil })
	reg("VM.get_record", "r", false, withVM(func(s *Server, ref string, vm *VM, p *params) (any, *xerr) { return *vm, nil }))
	reg("VM.get_by_uuid", "s", false, func(s *Server, p *params) (any, *xerr) {
		id := p.str(0)
		if e := p.err(); e != nil {
			return nil, e
		}
		for ref, vm := range s.vms {
			if vm.UUID == id {
				return ref, nil
			}
		}
		return nil, fail("UUID_INVALID", "VM", id)
	})
	reg("VM.get_by_name_label", "s", false, func(s *Server, p *params) (any, *xerr) {
		name := p.str(0)
		if e := p.err(); e != nil {
			return nil, e
		}
		out := []string{}
		for ref, vm := range s.vms {
			if vm.NameLabel == name {
				out = append(out, ref)
			}
		}
		return out, nil
	})
	reg("VM.clone", "rs", true, withVM(func(s *Server, ref string, vm *VM, p *params) (any, *xerr) {
		return s.copyVM(ref, vm, p.str(1), "")
	}))
	reg("VM.copy", "rsr", true, withVM(func(s *Server, ref string, vm *VM, p *params) (any, *xerr) {
		name, sr := p.str(1), p.str(2)
		if _, ok := s.srs[sr]; !ok && p.bad == nil {
			return nil, fail("HANDLE_INVALID", "SR", sr)
		}
		return s.copyVM(ref, vm, name, sr)
	}))
	reg("VM.provision", "r", true, withVM(func(s *Server, ref string, vm *VM, p *params) (any, *xerr) {
		return "", power(ref, vm, "Halted")
	}))
	reg("VM.set_is_a_template", "rb", false, withVM(func(s *Server, ref string, vm *VM, p *params) (any, *xerr) {
		v := p.bool(1)
		if e := p.err(); e != nil {
			return nil, e
		}
		if v && vm.PowerState != "Halted" {
			return nil, power(ref, vm, "Halted")
		}
		vm.IsATemplate = v
		return "", nil
	}))
	reg("VM.set_name_label", "rs", false, withVM(func(s *Server, ref string, vm *VM, p *params) (any, *xerr) {
		v := p.str(1)
		if e := p.err(); e != nil {
			return nil, e
		}
		vm.NameLabel = v
		return "", nil
	}))
	reg("VM.set_affinity", "rr", false, withVM(func(s *Server, ref string, vm *VM, p *params) (any, *xerr) {
		h := p.str(1)
		if e := p.err(); e != nil {
			return nil, e
		}
		if _, ok := s.hosts[h]; !ok && h != Null {
			return nil, fail("HANDLE_INVALID", "host", h)
		}
		vm.Affinity = h
		return "", nil
	}))
	registerVMConfig()
	registerVMPower()
}

// withVM reads the VM of the first parameter before running f (call has
// checked the parameters' kinds).
func withVM(f func(s *Server, ref string, vm *VM, p *params) (any, *xerr)) func(*Server, *params) (any, *xerr) {
	return func(s *Server, p *params) (any, *xerr) {
		ref := p.str(0)
		vm, xe := s.vm(ref)
		if xe != nil {
			return nil, xe
		}
		return f(s, ref, vm, p)
	}
}

// copyVM clones a halted VM or template: its disks are copied (to sr when
// given, else beside the originals), its CD drives and VIFs are shared
// and copied.
func (s *Server) copyVM(ref string, src *VM, name, sr string) (any, *xerr) {
	if xe := power(ref, src, "Halted"); xe != nil {
		return nil, xe
	}
	rec := *src
	rec.NameLabel, rec.ResidentOn, rec.PowerState = name, Null, "Halted"
	rec.OtherConfig, rec.Tags = cloneMap(src.OtherConfig), slices.Clone(src.Tags)
	rec.IsASnapshot = false
	nref := s.addVM(rec)
	for _, b := range src.VBDs {
		vbd := s.vbds[b]
		vdi := vbd.VDI
		if vbd.Type == "Disk" {
			d := *s.vdis[vdi]
			if sr != "" {
				d.SR = sr
			}
			d.NameLabel = fmt.Sprintf("%s disk %s", name, vbd.Userdevice)
			vdi = s.addVDI(d)
		}
		s.attach(nref, vdi, vbd.Userdevice, vbd.Type)
	}
	for _, v := range src.VIFs {
		s.addVIF(nref, s.vifs[v].Network, s.vifs[v].Device)
	}
	return nref, nil
}

func registerVMConfig() {
	reg("VM.set_VCPUs_max", "ri", false, withVM(func(s *Server, ref string, vm *VM, p *params) (any, *xerr) {
		n := p.int(1)
		if xe := power(ref, vm, "Halted"); xe != nil {
			return nil, xe
		}
		if n < 1 || n < vm.VCPUsAtStartup {
			return nil, fail("VALUE_NOT_SUPPORTED", "VCPUs_max", fmt.Sprint(n), "VCPUs_max must be at least VCPUs_at_startup and 1")
		}
		vm.VCPUsMax = n
		return "", nil
	}))
	reg("VM.set_VCPUs_at_startup", "ri", false, withVM(func(s *Server, ref string, vm *VM, p *params) (any, *xerr) {
		n := p.int(1)
		if xe := power(ref, vm, "Halted"); xe != nil {
			return nil, xe
		}
		if n < 1 || n > vm.VCPUsMax {
			return nil, fail("VALUE_NOT_SUPPORTED", "VCPUs_at_startup", fmt.Sprint(n), "VCPUs_at_startup must be between 1 and VCPUs_max")
		}
		vm.VCPUsAtStartup = n
		return "", nil
	}))
	reg("VM.set_VCPUs_number_live", "ri", true, withVM(func(s *Server, ref string, vm *VM, p *params) (any, *xerr) {
		n := p.int(1)
		if xe := power(ref, vm, "Running"); xe != nil {
			return nil, xe
		}
		if n < 1 || n > vm.VCPUsMax {
			return nil, fail("VALUE_NOT_SUPPORTED", "VCPUs", fmt.Sprint(n), "the number of vCPUs must be between 1 and VCPUs_max")
		}
		vm.VCPUsAtStartup = n
		return "", nil
	}))
	reg("VM.set_memory_limits", "riiii", false, withVM(func(s *Server, ref string, vm *VM, p *params) (any, *xerr) {
		smin, smax, dmin, dmax := p.int(1), p.int(2), p.int(3), p.int(4)
		if xe := power(ref, vm, "Halted"); xe != nil {
			return nil, xe
		}
		if !(0 < smin && smin <= dmin && dmin <= dmax && dmax <= smax) {
			return nil, fail("MEMORY_CONSTRAINT_VIOLATION", "Memory limits must satisfy: static_min ≤ dynamic_min ≤ dynamic_max ≤ static_max")
		}
		vm.MemoryStaticMin, vm.MemoryStaticMax, vm.MemoryDynMin, vm.MemoryDynMax = smin, smax, dmin, dmax
		return "", nil
	}))
	reg("VM.set_memory_dynamic_range", "rii", false, withVM(func(s *Server, ref string, vm *VM, p *params) (any, *xerr) {
		dmin, dmax := p.int(1), p.int(2)
		if !(vm.MemoryStaticMin <= dmin && dmin <= dmax && dmax <= vm.MemoryStaticMax) {
			return nil, fail("MEMORY_CONSTRAINT_VIOLATION", "Memory limits must satisfy: static_min ≤ dynamic_min ≤ dynamic_max ≤ static_max")
		}
		if vm.PowerState == "Running" {
			if free := s.freeMemory(vm.ResidentOn); dmax-vm.MemoryDynMax > free {
				return nil, fail("HOST_NOT_ENOUGH_FREE_MEMORY", fmt.Sprint(dmax-vm.MemoryDynMax), fmt.Sprint(free))
			}
		}
		vm.MemoryDynMin, vm.MemoryDynMax = dmin, dmax
		return "", nil
	}))
	reg("VM.set_other_config", "rm", false, withVM(func(s *Server, ref string, vm *VM, p *params) (any, *xerr) {
		vm.OtherConfig = p.strMap(1)
		return "", nil
	}))
	reg("VM.add_to_other_config", "rss", false, withVM(func(s *Server, ref string, vm *VM, p *params) (any, *xerr) {
		k, v := p.str(1), p.str(2)
		if old, ok := vm.OtherConfig[k]; ok && p.bad == nil {
			return nil, fail("MAP_DUPLICATE_KEY", "VM", "other_config", ref, k+"="+old)
		}
		vm.OtherConfig[k] = v
		return "", nil
	}))
	reg("VM.remove_from_other_config", "rs", false, withVM(func(s *Server, ref string, vm *VM, p *params) (any, *xerr) {
		delete(vm.OtherConfig, p.str(1))
		return "", nil
	}))
	reg("VM.set_tags", "rl", false, withVM(func(s *Server, ref string, vm *VM, p *params) (any, *xerr) {
		var tags []string
		p.decode(1, &tags)
		vm.Tags = append([]string{}, tags...)
		return "", nil
	}))
}
