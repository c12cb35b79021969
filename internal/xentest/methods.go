package xentest

import (
	"maps"
	"slices"
)

// methods are the XenAPI methods the server serves, by name; Async.<name>
// is served for those marked async.
var methods = map[string]method{}

// reg registers a method that takes a session and parameters of the
// kinds (see params.check).
func reg(name, kinds string, async bool, run func(s *Server, p *params) (any, *xerr)) {
	methods[name] = method{session: true, kinds: kinds, async: async, run: run}
}

func init() {
	methods["session.login_with_password"] = method{kinds: "ssss", run: login}
	reg("session.logout", "", false, func(s *Server, p *params) (any, *xerr) {
		delete(s.sessions, p.session)
		return "", nil
	})
	reg("pool.get_all_records", "", false, func(s *Server, p *params) (any, *xerr) {
		return map[string]Pool{s.poolRef(): *s.pool}, nil
	})
	reg("host.get_all_records", "", false, func(s *Server, p *params) (any, *xerr) { return values(s.hosts), nil })
	reg("host_metrics.get_all_records", "", false, func(s *Server, p *params) (any, *xerr) {
		out := map[string]HostMetrics{}
		for ref, h := range s.hosts {
			m := *s.hostMetrics[h.Metrics]
			m.MemoryFree = s.freeMemory(ref)
			out[h.Metrics] = m
		}
		return out, nil
	})
	reg("SR.get_all_records", "", false, func(s *Server, p *params) (any, *xerr) { return values(s.srs), nil })
	reg("network.get_all_records", "", false, func(s *Server, p *params) (any, *xerr) { return values(s.networks), nil })
	reg("VBD.get_all_records", "", false, func(s *Server, p *params) (any, *xerr) { return values(s.vbds), nil })
	reg("VDI.get_all_records", "", false, func(s *Server, p *params) (any, *xerr) { return values(s.vdis), nil })
	reg("VIF.get_all_records", "", false, func(s *Server, p *params) (any, *xerr) { return values(s.vifs), nil })
}

// login opens a session for the one user, or answers as a pool member.
func login(s *Server, p *params) (any, *xerr) {
	user, pw := p.str(0), p.str(1)
	for i := 2; i < len(p.raw); i++ {
		p.str(i) // version, originator: strings
	}
	if e := p.err(); e != nil {
		return nil, e
	}
	if s.opts.Member {
		return nil, fail("HOST_IS_SLAVE", s.opts.MasterAddress)
	}
	if user != s.Username || pw != s.Password {
		return nil, fail("SESSION_AUTHENTICATION_FAILED", user, "Authentication failure")
	}
	ref := newRef()
	s.sessions[ref] = true
	return ref, nil
}

// values copies a table's records.
func values[T any](m map[string]*T) map[string]T {
	out := make(map[string]T, len(m))
	for k, v := range m {
		out[k] = *v
	}
	return out
}

func (s *Server) poolRef() string { return "OpaqueRef:pool-" + s.pool.UUID }

// freeMemory is a host's memory less what its running VMs hold.
func (s *Server) freeMemory(host string) int64 {
	h := s.hosts[host]
	free := s.hostMetrics[h.Metrics].MemoryTotal
	for _, vm := range s.vms {
		if vm.ResidentOn == host && vm.PowerState == "Running" {
			free -= vm.MemoryDynMax
		}
	}
	return free
}

// vm returns a VM by reference.
func (s *Server) vm(ref string) (*VM, *xerr) { return lookup(s.vms, "VM", ref) }

// host returns a host by reference.
func (s *Server) host(ref string) (*Host, *xerr) { return lookup(s.hosts, "host", ref) }

// lookup finds ref in m; one m does not hold is HANDLE_INVALID of class.
func lookup[T any](m map[string]*T, class, ref string) (*T, *xerr) {
	v, ok := m[ref]
	if !ok {
		return nil, fail("HANDLE_INVALID", class, ref)
	}
	return v, nil
}

// byRef finds in m the reference a method's first parameter holds, after
// any error of the parameters.
func byRef[T any](p *params, m map[string]*T, class string) (string, *T, *xerr) {
	ref := p.str(0)
	if e := p.err(); e != nil {
		return ref, nil, e
	}
	v, e := lookup(m, class, ref)
	return ref, v, e
}

// power fails unless the VM is in one of the states (XAPI's lower case).
func power(ref string, vm *VM, states ...string) *xerr {
	if slices.Contains(states, vm.PowerState) {
		return nil
	}
	return fail("VM_BAD_POWER_STATE", ref, lower(states[0]), lower(vm.PowerState))
}

func lower(s string) string {
	b := []byte(s)
	if len(b) > 0 && b[0] >= 'A' && b[0] <= 'Z' {
		b[0] += 'a' - 'A'
	}
	return string(b)
}

// cloneMap copies a string map.
func cloneMap(m map[string]string) map[string]string {
	out := maps.Clone(m)
	if out == nil {
		out = map[string]string{}
	}
	return out
}
