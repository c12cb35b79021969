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

func init() {
	reg("VBD.get_record", "r", false, func(s *Server, p *params) (any, *xerr) {
		ref := p.str(0)
		if e := p.err(); e != nil {
			return nil, e
		}
		if b, ok := s.vbds[ref]; ok {
			return *b, nil
		}
		return nil, fail("HANDLE_INVALID", "VBD", ref)
	})
	reg("VDI.get_record", "r", false, func(s *Server, p *params) (any, *xerr) {
		ref := p.str(0)
		if e := p.err(); e != nil {
			return nil, e
		}
		if d, ok := s.vdis[ref]; ok {
			return *d, nil
		}
		return nil, fail("HANDLE_INVALID", "VDI", ref)
	})
	reg("VDI.resize", "ri", true, func(s *Server, p *params) (any, *xerr) {
		ref, size := p.str(0), p.int(1)
		if e := p.err(); e != nil {
			return nil, e
		}
		d, ok := s.vdis[ref]
		switch {
		case !ok:
			return nil, fail("HANDLE_INVALID", "VDI", ref)
		case s.inUse(d):
			return nil, fail("VDI_IN_USE", ref, "resize")
		case size < d.VirtualSize:
			return nil, fail("VDI_TOO_SMALL", ref, fmt.Sprint(d.VirtualSize))
		}
		d.VirtualSize = size
		return "", nil
	})
	reg("VDI.destroy", "r", true, func(s *Server, p *params) (any, *xerr) {
		ref := p.str(0)
		if e := p.err(); e != nil {
			return nil, e
		}
		d, ok := s.vdis[ref]
		switch {
		case !ok:
			return nil, fail("HANDLE_INVALID", "VDI", ref)
		case len(d.VBDs) > 0:
			return nil, fail("VDI_IN_USE", ref, "destroy")
		}
		delete(s.vdis, ref)
		return "", nil
	})
	reg("VIF.create", "o", false, func(s *Server, p *params) (any, *xerr) {
		var rec struct {
			Device, Network, VM, MAC string
			MTU                      int64
			OtherConfig              map[string]string `json:"other_config"`
			QoSType                  string            `json:"qos_algorithm_type"`
			QoSParams                map[string]string `json:"qos_algorithm_params"`
		}
		p.decode(0, &rec)
		if e := p.err(); e != nil {
			return nil, e
		}
		vm, xe := s.vm(rec.VM)
		switch {
		case xe != nil:
			return nil, xe
		case s.networks[rec.Network] == nil:
			return nil, fail("HANDLE_INVALID", "network", rec.Network)
		}
		for _, v := range vm.VIFs {
			if s.vifs[v].Device == rec.Device {
				return nil, fail("DEVICE_ALREADY_EXISTS", rec.Device)
			}
		}
		return s.addVIF(rec.VM, rec.Network, rec.Device), nil
	})
	reg("VIF.destroy", "r", false, func(s *Server, p *params) (any, *xerr) {
		ref := p.str(0)
		if e := p.err(); e != nil {
			return nil, e
		}
		v, ok := s.vifs[ref]
		if !ok {
			return nil, fail("HANDLE_INVALID", "VIF", ref)
		}
		vm := s.vms[v.VM]
		if xe := power(v.VM, vm, "Halted"); xe != nil {
			return nil, xe
		}
		vm.VIFs = slices.DeleteFunc(vm.VIFs, func(r string) bool { return r == ref })
		delete(s.vifs, ref)
		return "", nil
	})
}

// inUse reports a VDI plugged into a running VM.
func (s *Server) inUse(d *VDI) bool {
	for _, b := range d.VBDs {
		if s.vms[s.vbds[b].VM].PowerState != "Halted" {
			return true
		}
	}
	return false
}
