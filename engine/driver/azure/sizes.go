package azure

import (
	"cmp"
	"slices"
)

// size is one Azure VM size: vCPUs, memory, and the pay-as-you-go price
// of a Linux VM in USD per hour.
type size struct {
	name      string
	cpu       int
	memoryMiB int64
	price     float64
}

// sizeTable is the sizes the driver chooses from. It mirrors the shared
// rule of the EC2 driver (the cheapest size with at least the vCPUs and
// memory asked for; ties to fewer vCPUs, less memory, then the name), kept
// here until one helper serves both.
type sizeTable []size

// sizes: general-purpose (B, Dsv5), compute (Fsv2) and memory (Esv5)
// sizes with premium-storage support. Source: the Azure retail price list
// (Linux, pay-as-you-go, East US, USD per hour) and the sizes' published
// vCPU and memory figures, as of 2024-06. Prices differ by region and
// change over time: they only rank the sizes, and are not re-fetched.
var sizes = sizeTable{
	{"Standard_B1ls", 1, 512, 0.0052},
	{"Standard_B1s", 1, 1024, 0.0104},
	{"Standard_B1ms", 1, 2048, 0.0207},
	{"Standard_B2s", 2, 4096, 0.0416},
	{"Standard_B2ms", 2, 8192, 0.0832},
	{"Standard_B4ms", 4, 16384, 0.166},
	{"Standard_B8ms", 8, 32768, 0.333},
	{"Standard_B12ms", 12, 49152, 0.499},
	{"Standard_B16ms", 16, 65536, 0.666},
	{"Standard_B20ms", 20, 81920, 0.832},
	{"Standard_D2s_v5", 2, 8192, 0.096},
	{"Standard_D4s_v5", 4, 16384, 0.192},
	{"Standard_D8s_v5", 8, 32768, 0.384},
	{"Standard_D16s_v5", 16, 65536, 0.768},
	{"Standard_D32s_v5", 32, 131072, 1.536},
	{"Standard_D48s_v5", 48, 196608, 2.304},
	{"Standard_D64s_v5", 64, 262144, 3.072},
	{"Standard_D96s_v5", 96, 393216, 4.608},
	{"Standard_F2s_v2", 2, 4096, 0.0846},
	{"Standard_F4s_v2", 4, 8192, 0.169},
	{"Standard_F8s_v2", 8, 16384, 0.338},
	{"Standard_F16s_v2", 16, 32768, 0.677},
	{"Standard_F32s_v2", 32, 65536, 1.353},
	{"Standard_F48s_v2", 48, 98304, 2.03},
	{"Standard_F64s_v2", 64, 131072, 2.706},
	{"Standard_F72s_v2", 72, 147456, 3.045},
	{"Standard_E2s_v5", 2, 16384, 0.126},
	{"Standard_E4s_v5", 4, 32768, 0.252},
	{"Standard_E8s_v5", 8, 65536, 0.504},
	{"Standard_E16s_v5", 16, 131072, 1.008},
	{"Standard_E32s_v5", 32, 262144, 2.016},
	{"Standard_E48s_v5", 48, 393216, 3.024},
	{"Standard_E64s_v5", 64, 524288, 4.032},
	{"Standard_E96s_v5", 96, 688128, 6.048},
}

// cheapestFit returns the cheapest size with at least cpu vCPUs and
// memoryMiB of memory; ok is false when none is big enough.
func (t sizeTable) cheapestFit(cpu int, memoryMiB int64) (best size, ok bool) {
	for _, s := range t {
		if s.cpu >= cpu && s.memoryMiB >= memoryMiB && (!ok || cheaper(s, best)) {
			best, ok = s, true
		}
	}
	return best, ok
}

// lookup returns the size with the name; Azure's size names are not case
// sensitive.
func (t sizeTable) lookup(name string) (size, bool) {
	i := slices.IndexFunc(t, func(s size) bool { return equalFold(s.name, name) })
	if i < 0 {
		return size{}, false
	}
	return t[i], true
}

// names lists the table's size names in its order.
func (t sizeTable) names() []string {
	out := make([]string, len(t))
	for i, s := range t {
		out[i] = s.name
	}
	return out
}

// fits reports whether s holds cpu vCPUs and memoryMiB of memory.
func (s size) fits(cpu int, memoryMiB int64) bool { return s.cpu >= cpu && s.memoryMiB >= memoryMiB }

func cheaper(a, b size) bool {
	return cmp.Or(
		cmp.Compare(a.price, b.price),
		cmp.Compare(a.cpu, b.cpu),
		cmp.Compare(a.memoryMiB, b.memoryMiB),
		cmp.Compare(a.name, b.name),
	) < 0
}
