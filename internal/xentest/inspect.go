package xentest

import (
	"maps"
	"slices"
)

// FailNext makes the next calls of a method (its name without Async.; for
// an async call, the task) fail with the faults, one each.
func (s *Server) FailNext(method string, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[method] = append(s.faults[method], faults...)
}

// NoopMigrations makes the next n pool_migrate tasks report success
// without moving the VM.
func (s *Server) NoopMigrations(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noopMigrations = n
}

// IgnoreShutdowns makes the guests of the next n clean_shutdown calls
// ignore them: the task stays pending.
func (s *Server) IgnoreShutdowns(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ignoreShutdown = n
}

// ExpireSessions ends every session, as a restart of XAPI does.
func (s *Server) ExpireSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.sessions)
}

// Sessions is how many sessions are open.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// Calls is how many calls of a method (with its Async. prefix if any) the
// server answered.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// TotalCalls is how many calls the server answered.
func (s *Server) TotalCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		n += c
	}
	return n
}

// Unexpected lists the calls the server refused as unknown or malformed.
func (s *Server) Unexpected() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.unexpected)
}

// VMInfo is a VM as a test reads it from the server: the record, the name
// of its host (resident_on, or affinity when halted) and the sizes of its
// disks in GiB.
type VMInfo struct {
	VM
	Ref      string
	HostName string
	Disks    []int64
	CDs      int
}

// VMs lists the VMs that are not templates, snapshots or control domains.
func (s *Server) VMs() []VMInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []VMInfo
	for _, ref := range slices.Sorted(maps.Keys(s.vms)) {
		vm := s.vms[ref]
		if vm.IsATemplate || vm.IsASnapshot || vm.IsControlDomain {
			continue
		}
		info := VMInfo{VM: *vm, Ref: ref}
		info.OtherConfig = cloneMap(vm.OtherConfig)
		h := vm.ResidentOn
		if vm.PowerState != "Running" {
			h = vm.Affinity
		}
		if host, ok := s.hosts[h]; ok {
			info.HostName = host.NameLabel
		}
		for _, b := range vm.VBDs {
			if s.vbds[b].Type == "CD" {
				info.CDs++
				continue
			}
			info.Disks = append(info.Disks, s.vdis[s.vbds[b].VDI].VirtualSize/gib)
		}
		out = append(out, info)
	}
	return out
}

// Counts is how many VDIs, VBDs, VIFs, tasks and templates the server holds.
type Counts struct{ VDIs, VBDs, VIFs, Tasks, Templates int }

// Count counts the server's records.
func (s *Server) Count() Counts {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := Counts{VDIs: len(s.vdis), VBDs: len(s.vbds), VIFs: len(s.vifs), Tasks: len(s.tasks)}
	for _, vm := range s.vms {
		if vm.IsATemplate {
			c.Templates++
		}
	}
	return c
}

// ShareDisk plugs the first disk of the VM named from into the VM named
// to as its second disk (userdevice 1), as a shared data disk is.
func (s *Server) ShareDisk(from, to string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	src, dst := s.byName(from), s.byName(to)
	if src == "" || dst == "" {
		return false
	}
	for _, b := range s.vms[src].VBDs {
		if vbd := s.vbds[b]; vbd.Type == "Disk" && vbd.Userdevice == "0" {
			s.attach(dst, vbd.VDI, "1", "Disk")
			return true
		}
	}
	return false
}

// byName is the reference of the VM with the name-label, or "".
func (s *Server) byName(name string) string {
	for ref, vm := range s.vms {
		if vm.NameLabel == name && !vm.IsATemplate {
			return ref
		}
	}
	return ""
}
