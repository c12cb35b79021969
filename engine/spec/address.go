package spec

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// instanceAddrRe matches an instance address as written in a spec or on
// the command line: fleet.web, fleet.web[2], fleet.web["eu"], vm.db-01.
var instanceAddrRe = regexp.MustCompile(`^(fleet|vm)\.([A-Za-z][A-Za-z0-9_-]*)(?:\[(?:([0-9]+)|("(?:[^"\\]|\\.)*"))\])?$`)

// ParseInstanceAddress reads an instance address — fleet.web, fleet.web[2],
// fleet.web["eu"] or vm.db-01 — and returns it in the form plans and state
// use.
func ParseInstanceAddress(s string) (string, error) {
	m := instanceAddrRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return "", fmt.Errorf("%q is not a VM address: write fleet.NAME[INDEX], fleet.NAME[\"KEY\"], fleet.NAME or vm.NAME", s)
	}
	kind, name, index, key := m[1], m[2], m[3], m[4]
	switch {
	case kind == "vm" && (index != "" || key != ""):
		return "", fmt.Errorf("%q is not a VM address: a vm block is one VM, so its address takes no index (vm.%s)", s, name)
	case index != "":
		n, err := strconv.Atoi(index)
		if err != nil || strconv.Itoa(n) != index {
			return "", fmt.Errorf("%q is not a VM address: the index must be a whole number without leading zeros", s)
		}
		return fmt.Sprintf("%s.%s[%d]", kind, name, n), nil
	case key != "":
		k, err := strconv.Unquote(key)
		if err != nil {
			return "", fmt.Errorf("%q is not a VM address: the key is not a valid quoted string", s)
		}
		return fmt.Sprintf("%s.%s[%s]", kind, name, strconv.Quote(k)), nil
	}
	return kind + "." + name, nil
}

// Instance returns the instance at a canonical address, or nil.
func (s *Spec) Instance(addr string) *Instance {
	f := s.Fleet(fleetPart(addr))
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

// fleetPart is the fleet address of an instance address.
func fleetPart(addr string) string {
	if i := strings.IndexByte(addr, '['); i >= 0 {
		return addr[:i]
	}
	return addr
}
