package addrs

import "strings"

// ModuleStep is one step of a module path: module.NAME (a module block
// without count or for_each), module.NAME[2] or module.NAME["a"].
type ModuleStep struct {
	Name string
	Key  Key
}

// String is the step as an address writes it: module.NAME[KEY].
func (s ModuleStep) String() string { return "module." + s.Name + s.Key.String() }

// Module is the path of a module instance from the root: the root itself
// (the zero value, RootModule), module.web, module.env["prod"].module.db.
// It holds its canonical text, so that it is comparable and addresses
// stay usable as map keys.
type Module struct {
	path string
}

// RootModule is the path of the root module: the spec folder itself.
var RootModule = Module{}

// Equal reports whether m and n are the same path (as ==; go-cmp uses it,
// so that structs holding a Module compare without options).
func (m Module) Equal(n Module) bool { return m.path == n.path }

// IsRoot reports whether m is the root module.
func (m Module) IsRoot() bool { return m.path == "" }

// String is the canonical form: "" for the root, else module.NAME…
func (m Module) String() string { return m.path }

// Child returns the path of the instance with key k of the module block
// name declared in m.
func (m Module) Child(name string, k Key) Module {
	step := ModuleStep{Name: name, Key: k}.String()
	if m.path == "" {
		return Module{step}
	}
	return Module{m.path + "." + step}
}

// Depth is the number of steps from the root.
func (m Module) Depth() int { return len(m.Steps()) }

// Steps returns the steps of the path, from the root.
func (m Module) Steps() []ModuleStep {
	var out []ModuleStep
	rest := m.path
	for rest != "" {
		step, r, reason := parseModuleStep(rest)
		if reason != "" {
			break // never: path is canonical
		}
		out = append(out, step)
		rest = strings.TrimPrefix(r, ".")
	}
	return out
}

// Compare orders module paths: the root first, then step by step (the
// block name, then the key in Key's order); a module before those inside
// it.
func (m Module) Compare(n Module) int {
	if m.path == n.path {
		return 0
	}
	a, b := m.Steps(), n.Steps()
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := strings.Compare(a[i].Name, b[i].Name); c != 0 {
			return c
		}
		if c := a[i].Key.Compare(b[i].Key); c != 0 {
			return c
		}
	}
	return len(a) - len(b)
}

// Contains reports whether the address text addr (a module, fleet or VM
// address in canonical form) lies inside m: m itself, any module in it
// and, when m's last step has no key, every instance of that module
// block. Every address lies inside the root.
func (m Module) Contains(addr string) bool {
	switch {
	case m.path == "":
		return true
	case !strings.HasPrefix(addr, m.path):
		return false
	}
	rest := addr[len(m.path):]
	return rest == "" || rest[0] == '.' || (rest[0] == '[' && !strings.HasSuffix(m.path, "]"))
}

// ParseModule reads a module path: module.NAME, module.NAME[INDEX],
// module.NAME["KEY"], and those joined with dots (module.a.module.b).
func ParseModule(s string) (Module, error) {
	m, rest, reason := parseModulePrefix(s)
	switch {
	case reason == "" && s == "":
		reason = "it is empty: write module.NAME"
	case reason == "" && !strings.HasPrefix(s, "module."):
		reason = "it does not start with module.: write module.NAME, module.NAME[INDEX] or module.NAME[\"KEY\"]"
	case reason == "" && rest != "":
		reason = "a module address ends after the module's name or key, but " + quoteShort("."+rest) + " follows"
	}
	if reason != "" {
		return Module{}, &ParseError{Input: s, What: "module address", Reason: reason}
	}
	return m, nil
}

// parseModulePrefix reads the module steps that start s, and returns
// their path and what follows the dot after the last one ("" when s ends
// with a step).
func parseModulePrefix(s string) (Module, string, string) {
	var b strings.Builder
	for strings.HasPrefix(s, "module.") {
		step, rest, reason := parseModuleStep(s)
		if reason != "" {
			return Module{}, "", reason
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(step.String())
		switch {
		case rest == "":
			return Module{b.String()}, "", ""
		case rest[0] != '.':
			return Module{}, "", "after " + quoteShort(b.String()) + " comes " + quoteShort(rest) + ": " + moduleForms
		case rest == ".":
			return Module{}, "", "it ends with a dot after " + quoteShort(b.String()) + ": " + moduleForms
		}
		s = rest[1:]
		if s == "module" {
			return Module{}, "", "it ends with module and no name: write " + b.String() + ".module.NAME for the module inside it"
		}
	}
	return Module{b.String()}, s, ""
}

// moduleForms closes errors about the shape of a module step.
const moduleForms = `a module step is module.NAME, module.NAME[INDEX] or module.NAME["KEY"], followed by . and the next step or the fleet`

// parseModuleStep reads "module.NAME" and an optional key from the start
// of s, and returns what follows.
func parseModuleStep(s string) (ModuleStep, string, string) {
	s = strings.TrimPrefix(s, "module.")
	end := strings.IndexAny(s, ".[")
	if end < 0 {
		end = len(s)
	}
	name := s[:end]
	if !ValidName(name) {
		return ModuleStep{}, "", quoteShort(name) + " is not a module name (a letter, then letters, digits, '_' or '-')"
	}
	rest := s[end:]
	if !strings.HasPrefix(rest, "[") {
		return ModuleStep{Name: name}, rest, ""
	}
	k, after, reason := parseStepKey(rest[1:])
	if reason != "" {
		return ModuleStep{}, "", "in module." + name + ": " + reason
	}
	return ModuleStep{Name: name, Key: k}, after, ""
}

// parseStepKey reads what follows '[' in a module step: an index or a
// quoted key, then ']', and returns what follows it.
func parseStepKey(t string) (Key, string, string) {
	end := -1
	if strings.HasPrefix(t, `"`) {
		if q := closingQuote(t); q >= 0 && strings.HasPrefix(t[q+1:], "]") {
			end = q + 1
		}
	} else {
		end = strings.IndexByte(t, ']')
	}
	if end < 0 {
		if _, reason := parseKey(t); reason != "" {
			return Key{}, "", reason
		}
		return Key{}, "", "the index or key does not end with ']'"
	}
	k, reason := parseKey(t[:end+1])
	return k, t[end+1:], reason
}
