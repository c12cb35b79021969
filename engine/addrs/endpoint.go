package addrs

import "strings"

// Endpoint is what a `moved` or `removed` block's from or to names: a
// whole fleet (fleet.web: every VM of it, whatever its key), one VM
// (fleet.web[2], fleet.web["a"], vm.db-01), each possibly inside a module
// (module.web.fleet.app), or a module: a whole module call (module.web:
// every instance of the block, whatever its key, and the modules inside
// them) or one instance of it (module.web[0], module.web["prod"]; a
// module.web moved to or from a keyed instance is the instance of the
// block without count or for_each).
type Endpoint struct {
	Instance Instance // the VM; for a whole fleet, the fleet's NoKey instance; zero for a module
	// Whole is true for a fleet address without an index or key, and for
	// a whole module call.
	Whole    bool
	module   Module
	isModule bool
}

// ModuleEndpoint returns the endpoint of the module instance m or, with
// whole, of every instance of its last module block.
func ModuleEndpoint(m Module, whole bool) Endpoint {
	return Endpoint{module: m, isModule: true, Whole: whole}
}

// IsModule reports whether e names a module call or instance rather than
// a fleet or a VM.
func (e Endpoint) IsModule() bool { return e.isModule }

// Module is the module e names (module.web, module.web["prod"]), or the
// module of the fleet or VM it names.
func (e Endpoint) Module() Module {
	if e.isModule {
		return e.module
	}
	return e.Instance.Fleet().Module
}

// Keyed reports whether e's last step has an index or key: a VM of a
// counted fleet, or a module instance of a block with count or for_each.
func (e Endpoint) Keyed() bool {
	if e.isModule {
		return !e.module.lastKey().IsNone()
	}
	return !e.Instance.Key().IsNone()
}

// String is the endpoint in its canonical form: fleet.web, fleet.web[2],
// module.a.vm.db, module.a["prod"].
func (e Endpoint) String() string {
	switch {
	case e.isModule:
		return e.module.String()
	case e.Whole:
		return e.Instance.Fleet().String()
	}
	return e.Instance.String()
}

// Contains reports whether the VM at a is one the endpoint names.
func (e Endpoint) Contains(a Instance) bool {
	switch {
	case e.isModule:
		return e.holds(a.Fleet().Module)
	case e.Whole:
		return a.Fleet() == e.Instance.Fleet()
	}
	return a == e.Instance
}

// Overlaps reports whether e and o name a VM in common (or would, for
// modules: one module endpoint inside the other, or a fleet inside it).
func (e Endpoint) Overlaps(o Endpoint) bool {
	switch {
	case e.isModule && o.isModule:
		return e.holds(o.module) || o.holds(e.module)
	case e.isModule:
		return e.holds(o.Instance.Fleet().Module)
	case o.isModule:
		return o.holds(e.Instance.Fleet().Module)
	}
	return e.Contains(o.Instance) || o.Contains(e.Instance)
}

// holds reports whether module m lies inside the module endpoint e: e's
// instance itself or a module inside it, and with Whole any instance of
// e's module block.
func (e Endpoint) holds(m Module) bool {
	p, s := e.module.path, m.path
	if !strings.HasPrefix(s, p) {
		return false
	}
	rest := s[len(p):]
	return rest == "" || rest[0] == '.' || (e.Whole && rest[0] == '[')
}

// Moved returns the address of the VM at a, which e contains, once moved
// to the endpoint to (of the same shape as e): the same key in to's fleet
// for a whole fleet, to itself for one VM, and for a module the same path
// below it, in to's module (each instance keeping its key for a whole
// module call).
func (e Endpoint) Moved(a Instance, to Endpoint) Instance {
	switch {
	case e.isModule:
		rest := a.Fleet().Module.path[len(e.module.path):]
		f := a.Fleet()
		f.Module = Module{to.module.path + rest}
		return f.Instance(a.Key())
	case e.Whole:
		return to.Instance.Fleet().Instance(a.Key())
	}
	return to.Instance
}

// lastKey is the key of m's last step (NoKey for the root).
func (m Module) lastKey() Key {
	if !strings.HasSuffix(m.path, "]") {
		return NoKey
	}
	steps := m.Steps()
	return steps[len(steps)-1].Key
}

// In returns e, written in the module m, as an address from the root:
// a moved block in a module names what is inside that module.
func (e Endpoint) In(m Module) Endpoint {
	if m.IsRoot() {
		return e
	}
	if e.isModule {
		e.module = Module{m.path + "." + e.module.path}
		return e
	}
	f := e.Instance.Fleet()
	f.Module = Module{m.path + dotIf(f.Module) + f.Module.path}
	e.Instance = f.Instance(e.Instance.Key())
	return e
}

func dotIf(m Module) string {
	if m.IsRoot() {
		return ""
	}
	return "."
}
