package driver

import (
	"cmp"
	"slices"
)

// Size is one machine size a cloud offers (an EC2 instance type, an Azure
// VM size): its name, vCPUs, memory and hourly price in a currency the
// table states. A cloud driver keeps its own table of them.
type Size struct {
	Name      string
	CPU       int
	MemoryMiB int64
	Price     float64
}

// SizeTable is a cloud driver's table of sizes, in any order.
type SizeTable []Size

// CheapestFit returns the cheapest size with at least cpu vCPUs and
// memoryMiB of memory. Ties go to fewer vCPUs, then less memory, then the
// name, so the choice never depends on the table's order. ok is false
// when no size is big enough.
func (t SizeTable) CheapestFit(cpu int, memoryMiB int64) (best Size, ok bool) {
	for _, s := range t {
		if !s.Fits(cpu, memoryMiB) {
			continue
		}
		if !ok || cheaper(s, best) {
			best, ok = s, true
		}
	}
	return best, ok
}

// Fits reports whether s holds cpu vCPUs and memoryMiB of memory.
func (s Size) Fits(cpu int, memoryMiB int64) bool { return s.CPU >= cpu && s.MemoryMiB >= memoryMiB }

// Names lists the table's size names in its order.
func (t SizeTable) Names() []string {
	out := make([]string, len(t))
	for i, s := range t {
		out[i] = s.Name
	}
	return out
}

// Lookup returns the size with the name.
func (t SizeTable) Lookup(name string) (Size, bool) {
	i := slices.IndexFunc(t, func(s Size) bool { return s.Name == name })
	if i < 0 {
		return Size{}, false
	}
	return t[i], true
}

// cheaper orders sizes by price, vCPUs, memory and name.
func cheaper(a, b Size) bool {
	return cmp.Or(
		cmp.Compare(a.Price, b.Price),
		cmp.Compare(a.CPU, b.CPU),
		cmp.Compare(a.MemoryMiB, b.MemoryMiB),
		cmp.Compare(a.Name, b.Name),
	) < 0
}
