package xentest

import (
	"fmt"
	"maps"
	"slices"
)

func registerVMPower() {
	reg("VM.start", "rbb", true, withVM(func(s *Server, ref string, vm *VM, p *params) (any, *xerr) {
		host := vm.Affinity
		if _, ok := s.hosts[host]; !ok {
			host = s.roomiest()
		}
		return "", s.start(ref, vm, host)
	}))
	reg("VM.start_on", "rrbb", true, withVM(func(s *Server, ref string, vm *VM, p *params) (any, *xerr) {
		host := p.str(1)
		if _, xe := s.host(host); xe != nil {
			return nil, xe
		}
		return "", s.start(ref, vm, host)
	}))
	reg("VM.clean_shutdown", "r", true, withVM(func(s *Server, ref string, vm *VM, p *params) (any, *xerr) {
		return "", s.halt(ref, vm)
	}))
	reg("VM.hard_shutdown", "r", true, withVM(func(s *Server, ref string, vm *VM, p *params) (any, *xerr) {
		return "", s.halt(ref, vm)
	}))
	reg("VM.destroy", "r", true, withVM(func(s *Server, ref string, vm *VM, p *params) (any, *xerr) {
		if xe := power(ref, vm, "Halted"); xe != nil {
			return nil, xe
		}
		for _, b := range vm.VBDs {
			vdi := s.vdis[s.vbds[b].VDI]
			vdi.VBDs = slices.DeleteFunc(vdi.VBDs, func(r string) bool { return r == b })
			delete(s.vbds, b)
		}
		for _, v := range vm.VIFs {
			delete(s.vifs, v)
		}
		delete(s.vms, ref)
		return "", nil
	}))
	reg("VM.pool_migrate", "rrm", true, withVM(func(s *Server, ref string, vm *VM, p *params) (any, *xerr) {
		host, opts := p.str(1), p.strMap(2)
		if _, xe := s.host(host); xe != nil {
			return nil, xe
		}
		for k := range maps.Keys(opts) {
			if k != "live" && k != "force" {
				return nil, fail("VALUE_NOT_SUPPORTED", "options", k, "unknown pool_migrate option")
			}
		}
		if xe := power(ref, vm, "Running"); xe != nil {
			return nil, xe
		}
		if free := s.freeMemory(host); vm.MemoryDynMax > free {
			return nil, fail("HOST_NOT_ENOUGH_FREE_MEMORY", fmt.Sprint(vm.MemoryDynMax), fmt.Sprint(free))
		}
		if s.noopMigrations > 0 {
			s.noopMigrations--
			return "", nil // reports success, moves nothing
		}
		vm.ResidentOn = host
		return "", nil
	}))
}

// roomiest is the host with the most free memory.
func (s *Server) roomiest() string {
	best, free := "", int64(-1)
	for _, ref := range slices.Sorted(maps.Keys(s.hosts)) {
		if f := s.freeMemory(ref); f > free {
			best, free = ref, f
		}
	}
	return best
}

// start runs a halted VM on host, when it has room.
func (s *Server) start(ref string, vm *VM, host string) *xerr {
	if vm.IsATemplate {
		return fail("VM_IS_TEMPLATE", ref)
	}
	if xe := power(ref, vm, "Halted"); xe != nil {
		return xe
	}
	if free := s.freeMemory(host); vm.MemoryDynMax > free {
		return fail("HOST_NOT_ENOUGH_FREE_MEMORY", fmt.Sprint(vm.MemoryDynMax), fmt.Sprint(free))
	}
	vm.PowerState, vm.ResidentOn = "Running", host
	return nil
}

// halt stops a running or paused VM.
func (s *Server) halt(ref string, vm *VM) *xerr {
	if xe := power(ref, vm, "Running", "Paused"); xe != nil {
		return xe
	}
	vm.PowerState, vm.ResidentOn = "Halted", Null
	return nil
}
