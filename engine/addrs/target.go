package addrs

import "strings"

// Target is what -target and the state commands select: a module (every
// fleet and VM inside it, and with no key every instance of the module
// block), a fleet, or a VM.
type Target struct {
	module   Module
	instance Instance
	isModule bool
}

// ParseTarget reads a module, fleet or VM address.
func ParseTarget(s string) (Target, error) {
	if strings.HasPrefix(s, "module.") {
		m, rest, reason := parseModulePrefix(s)
		if reason == "" && rest == "" {
			return Target{module: m, isModule: true}, nil
		}
	}
	a, err := ParseInstance(s)
	if err != nil {
		return Target{}, err
	}
	return Target{instance: a}, nil
}

// Module returns the module a target names, and whether it names one.
func (t Target) Module() (Module, bool) { return t.module, t.isModule }

// Instance returns the fleet or VM address a target names, and whether it
// names one (a fleet's address is its instance with NoKey).
func (t Target) Instance() (Instance, bool) { return t.instance, !t.isModule }

// String is the target's canonical form.
func (t Target) String() string {
	if t.isModule {
		return t.module.String()
	}
	return t.instance.String()
}

// IsModuleAddress reports whether s is a module path and nothing more
// (module.web, module.env["prod"]), the form of a module target.
func IsModuleAddress(s string) bool {
	if !strings.HasPrefix(s, "module.") {
		return false
	}
	_, rest, reason := parseModulePrefix(s)
	return reason == "" && rest == ""
}
