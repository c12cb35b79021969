package addrs

import "strings"

// Kind says whether a fleet address names a fleet block or a vm block.
type Kind uint8

// The kinds. The zero value is KindFleet.
const (
	KindFleet Kind = iota // fleet "NAME" { … }: fleet.NAME
	KindVM                // vm "NAME" { … }, a fleet of one: vm.NAME
)

func (k Kind) String() string {
	if k == KindVM {
		return "vm"
	}
	return "fleet"
}

// Fleet is the address of a fleet or vm block: fleet.web, vm.db-01, and
// inside a module module.web.fleet.web. The zero Module is the root.
type Fleet struct {
	Module Module
	Kind   Kind
	Name   string
}

// String is the canonical form: fleet.NAME or vm.NAME, after the module
// path and a dot inside a module.
func (f Fleet) String() string {
	if f.Module.IsRoot() {
		return f.Kind.String() + "." + f.Name
	}
	return f.Module.path + "." + f.Kind.String() + "." + f.Name
}

// Instance returns the address of the fleet's instance with key k.
func (f Fleet) Instance(k Key) Instance { return Instance{fleet: f, key: k} }

// Compare orders fleets by module (Module.Compare: the root's first),
// then as their canonical strings sort: fleet.… before vm.…, then by name.
func (f Fleet) Compare(g Fleet) int {
	if c := f.Module.Compare(g.Module); c != 0 {
		return c
	}
	if f.Kind != g.Kind {
		return int(f.Kind) - int(g.Kind)
	}
	return strings.Compare(f.Name, g.Name)
}

// ValidName reports whether s is a fleet or vm name: a letter, then
// letters, digits, underscores and dashes.
func ValidName(s string) bool {
	if s == "" || !isLetter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isLetter(c) && !isDigit(c) && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
