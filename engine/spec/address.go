package spec

import "github.com/novacron/novacron/engine/addrs"

// Instance returns the instance at a canonical address, or nil.
func (s *Spec) Instance(addr string) *Instance {
	a, err := addrs.ParseInstance(addr)
	if err != nil {
		return nil
	}
	f := s.Fleet(a.Fleet().String())
	if f == nil {
		return nil
	}
	for _, inst := range f.Instances {
		if inst.Address == addr {
			return inst
		}
	}
	return nil
}

// Fleet returns the fleet or vm with the address fleet.NAME or vm.NAME, or
// nil.
func (s *Spec) Fleet(addr string) *Fleet {
	for _, f := range s.Fleets {
		if f.Address() == addr {
			return f
		}
	}
	return nil
}
