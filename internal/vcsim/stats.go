package vcsim

import (
	"fmt"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// SetQuickStats sets the quick statistics vCenter would report for the
// named VM (summary.quickStats): the simulator leaves them empty. It
// returns an error when no VM has the name.
func (s *Sim) SetQuickStats(name string, q types.VirtualMachineQuickStats) error {
	ctx := s.model.Service.Context
	for _, e := range s.model.Map().All("VirtualMachine") {
		if e.Entity().Name == name {
			ctx.Map.AtomicUpdate(ctx, e, []types.PropertyChange{{Name: "summary.quickStats", Val: q}})
			return nil
		}
	}
	return fmt.Errorf("vcsim: no VM is named %q", name)
}

// SetHostCPUMHz sets the MHz per core of the named host
// (summary.hardware.cpuMhz; the simulator gives every host 2294). It
// returns an error when no host has the name.
func (s *Sim) SetHostCPUMHz(name string, mhz int32) error {
	ctx := s.model.Service.Context
	for _, e := range s.model.Map().All("HostSystem") {
		h, ok := e.(*simulator.HostSystem)
		if !ok || h.Name != name {
			continue
		}
		ctx.Map.WithLock(ctx, h, func() {
			hw := *h.Summary.Hardware // hosts share the simulator's template
			hw.CpuMhz = mhz
			h.Summary.Hardware = &hw
		})
		return nil
	}
	return fmt.Errorf("vcsim: no host is named %q", name)
}
