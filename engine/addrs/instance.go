package addrs

import (
	"slices"
	"strings"
)

// Instance is the address of one VM: its fleet's address and its key.
// The zero value is not a valid address; make one with Fleet.Instance or
// ParseInstance.
type Instance struct {
	fleet Fleet
	key   Key
}

// Fleet is the address of the instance's fleet.
func (a Instance) Fleet() Fleet { return a.fleet }

// Key is the instance's key within its fleet.
func (a Instance) Key() Key { return a.key }

// String is the canonical form that plans, state and markers hold:
// fleet.web, fleet.web[2], fleet.web["a"], vm.db-01.
func (a Instance) String() string { return a.fleet.String() + a.key.String() }

// Compare orders addresses by fleet, then by key (count indexes in number
// order: fleet.web[2] before fleet.web[10]).
func (a Instance) Compare(b Instance) int {
	if c := a.fleet.Compare(b.fleet); c != 0 {
		return c
	}
	return a.key.Compare(b.key)
}

// Less reports whether a sorts before b.
func (a Instance) Less(b Instance) bool { return a.Compare(b) < 0 }

// CompareStrings orders two addresses held as strings. Each is parsed;
// one that does not parse sorts after every one that does, and two such
// by their text.
func CompareStrings(a, b string) int {
	pa, errA := ParseInstance(a)
	pb, errB := ParseInstance(b)
	return compareParsed(pa, errA == nil, a, pb, errB == nil, b)
}

func compareParsed(a Instance, okA bool, textA string, b Instance, okB bool, textB string) int {
	switch {
	case okA && okB:
		return a.Compare(b)
	case okA:
		return -1
	case okB:
		return 1
	}
	return strings.Compare(textA, textB)
}

// SortStrings sorts addresses held as strings in Compare's order, parsing
// each once (CompareStrings' rule for those that do not parse).
func SortStrings(addrs []string) {
	type parsed struct {
		text string
		addr Instance
		ok   bool
	}
	ps := make([]parsed, len(addrs))
	for i, s := range addrs {
		a, err := ParseInstance(s)
		ps[i] = parsed{s, a, err == nil}
	}
	slices.SortStableFunc(ps, func(x, y parsed) int {
		return compareParsed(x.addr, x.ok, x.text, y.addr, y.ok, y.text)
	})
	for i, p := range ps {
		addrs[i] = p.text
	}
}

// FleetOf returns the canonical fleet address of an instance address
// (module.web.fleet.web for module.web.fleet.web[2]), and whether addr is
// one. It allocates only where a for_each key is in addr (of the instance
// or of a module on its path): state checks every address on every read.
func FleetOf(addr string) (string, bool) {
	a, err := ParseInstance(addr)
	if err != nil {
		return "", false
	}
	_, isString := a.key.Str()
	if isString || strings.Contains(a.fleet.Module.path, `"`) {
		return a.fleet.String(), true
	}
	if a.key.IsNone() {
		return addr, true
	}
	return addr[:strings.LastIndexByte(addr, '[')], true
}
