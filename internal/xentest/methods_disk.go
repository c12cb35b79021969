package xentest

import (
	"fmt"
	"slices"
)

// The methods of VBDs, VDIs and VIFs.
func init() {
	reg("VBD.get_record", "r", false, func(s *Server, p *params) (any, *xerr) {
		_, b, e := byRef(p, s.vbds, "VBD")
		if e != nil {
			return nil, e
		}
		return *b, nil
	})
	reg("VDI.get_record", "r", false, func(s *Server, p *params) (any, *xerr) {
		_, d, e := byRef(p, s.vdis, "VDI")
		if e != nil {
			return nil, e
		}
		return *d, nil
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
		ref, d, e := byRef(p, s.vdis, "VDI")
		switch {
		case e != nil:
			return nil, e
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
		ref, v, e := byRef(p, s.vifs, "VIF")
		if e != nil {
			return nil, e
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
