package azure

import (
	"slices"

	"github.com/novacron/novacron/engine/driver"
)

// sizes: general-purpose (B, Dsv5), compute (Fsv2) and memory (Esv5)
// sizes with premium-storage support. Source: the Azure retail price list
// (Linux, pay-as-you-go, East US, USD per hour) and the sizes' published
// vCPU and memory figures, as of 2024-06. Prices differ by region and
// change over time: they only rank the sizes, and are not re-fetched.
// The rule (the cheapest size with at least the vCPUs and memory asked
// for) is driver.SizeTable.CheapestFit, shared with the EC2 driver.
var sizes = driver.SizeTable{
	{Name: "Standard_B1ls", CPU: 1, MemoryMiB: 512, Price: 0.0052},
	{Name: "Standard_B1s", CPU: 1, MemoryMiB: 1024, Price: 0.0104},
	{Name: "Standard_B1ms", CPU: 1, MemoryMiB: 2048, Price: 0.0207},
	{Name: "Standard_B2s", CPU: 2, MemoryMiB: 4096, Price: 0.0416},
	{Name: "Standard_B2ms", CPU: 2, MemoryMiB: 8192, Price: 0.0832},
	{Name: "Standard_B4ms", CPU: 4, MemoryMiB: 16384, Price: 0.166},
	{Name: "Standard_B8ms", CPU: 8, MemoryMiB: 32768, Price: 0.333},
	{Name: "Standard_B12ms", CPU: 12, MemoryMiB: 49152, Price: 0.499},
	{Name: "Standard_B16ms", CPU: 16, MemoryMiB: 65536, Price: 0.666},
	{Name: "Standard_B20ms", CPU: 20, MemoryMiB: 81920, Price: 0.832},
	{Name: "Standard_D2s_v5", CPU: 2, MemoryMiB: 8192, Price: 0.096},
	{Name: "Standard_D4s_v5", CPU: 4, MemoryMiB: 16384, Price: 0.192},
	{Name: "Standard_D8s_v5", CPU: 8, MemoryMiB: 32768, Price: 0.384},
	{Name: "Standard_D16s_v5", CPU: 16, MemoryMiB: 65536, Price: 0.768},
	{Name: "Standard_D32s_v5", CPU: 32, MemoryMiB: 131072, Price: 1.536},
	{Name: "Standard_D48s_v5", CPU: 48, MemoryMiB: 196608, Price: 2.304},
	{Name: "Standard_D64s_v5", CPU: 64, MemoryMiB: 262144, Price: 3.072},
	{Name: "Standard_D96s_v5", CPU: 96, MemoryMiB: 393216, Price: 4.608},
	{Name: "Standard_F2s_v2", CPU: 2, MemoryMiB: 4096, Price: 0.0846},
	{Name: "Standard_F4s_v2", CPU: 4, MemoryMiB: 8192, Price: 0.169},
	{Name: "Standard_F8s_v2", CPU: 8, MemoryMiB: 16384, Price: 0.338},
	{Name: "Standard_F16s_v2", CPU: 16, MemoryMiB: 32768, Price: 0.677},
	{Name: "Standard_F32s_v2", CPU: 32, MemoryMiB: 65536, Price: 1.353},
	{Name: "Standard_F48s_v2", CPU: 48, MemoryMiB: 98304, Price: 2.03},
	{Name: "Standard_F64s_v2", CPU: 64, MemoryMiB: 131072, Price: 2.706},
	{Name: "Standard_F72s_v2", CPU: 72, MemoryMiB: 147456, Price: 3.045},
	{Name: "Standard_E2s_v5", CPU: 2, MemoryMiB: 16384, Price: 0.126},
	{Name: "Standard_E4s_v5", CPU: 4, MemoryMiB: 32768, Price: 0.252},
	{Name: "Standard_E8s_v5", CPU: 8, MemoryMiB: 65536, Price: 0.504},
	{Name: "Standard_E16s_v5", CPU: 16, MemoryMiB: 131072, Price: 1.008},
	{Name: "Standard_E32s_v5", CPU: 32, MemoryMiB: 262144, Price: 2.016},
	{Name: "Standard_E48s_v5", CPU: 48, MemoryMiB: 393216, Price: 3.024},
	{Name: "Standard_E64s_v5", CPU: 64, MemoryMiB: 524288, Price: 4.032},
	{Name: "Standard_E96s_v5", CPU: 96, MemoryMiB: 688128, Price: 6.048},
}

// lookupSize returns the size with the name; Azure's size names are not
// case sensitive.
func lookupSize(name string) (driver.Size, bool) {
	i := slices.IndexFunc(sizes, func(s driver.Size) bool { return equalFold(s.Name, name) })
	if i < 0 {
		return driver.Size{}, false
	}
	return sizes[i], true
}
