package gce

import (
	"fmt"
	"strconv"

	"github.com/novacron/novacron/engine/driver"
)

// The machine types the driver chooses from when a template names none,
// with their on-demand price per hour in USD in us-central1.
//
// Source: Google Cloud's VM instance pricing,
// https://cloud.google.com/compute/vm-instance-pricing (on-demand,
// us-central1 Iowa), as published in 2024. Prices differ by region and
// change over time; the table only orders types, and within these
// families the order is the same in every region. A machine_type in the
// template overrides it with any type the zone offers.
const sizesSource = "Google Cloud VM instance pricing, on-demand, us-central1, 2024"

// table is the choice of machine types, in no particular order.
var table = driver.SizeTable{
	{Name: "e2-micro", CPU: 2, MemoryMiB: 1024, Price: 0.008376},
	{Name: "e2-small", CPU: 2, MemoryMiB: 2048, Price: 0.016751},
	{Name: "e2-medium", CPU: 2, MemoryMiB: 4096, Price: 0.033503},
	{Name: "e2-standard-2", CPU: 2, MemoryMiB: 8192, Price: 0.067006},
	{Name: "e2-standard-4", CPU: 4, MemoryMiB: 16384, Price: 0.134012},
	{Name: "e2-standard-8", CPU: 8, MemoryMiB: 32768, Price: 0.268024},
	{Name: "e2-standard-16", CPU: 16, MemoryMiB: 65536, Price: 0.536048},
	{Name: "e2-standard-32", CPU: 32, MemoryMiB: 131072, Price: 1.072096},
	{Name: "e2-highcpu-2", CPU: 2, MemoryMiB: 2048, Price: 0.049468},
	{Name: "e2-highcpu-4", CPU: 4, MemoryMiB: 4096, Price: 0.098936},
	{Name: "e2-highcpu-8", CPU: 8, MemoryMiB: 8192, Price: 0.197872},
	{Name: "e2-highcpu-16", CPU: 16, MemoryMiB: 16384, Price: 0.395744},
	{Name: "e2-highcpu-32", CPU: 32, MemoryMiB: 32768, Price: 0.791488},
	{Name: "e2-highmem-2", CPU: 2, MemoryMiB: 16384, Price: 0.090416},
	{Name: "e2-highmem-4", CPU: 4, MemoryMiB: 32768, Price: 0.180832},
	{Name: "e2-highmem-8", CPU: 8, MemoryMiB: 65536, Price: 0.361664},
	{Name: "e2-highmem-16", CPU: 16, MemoryMiB: 131072, Price: 0.723328},
	{Name: "n2-standard-2", CPU: 2, MemoryMiB: 8192, Price: 0.097118},
	{Name: "n2-standard-4", CPU: 4, MemoryMiB: 16384, Price: 0.194236},
	{Name: "n2-standard-8", CPU: 8, MemoryMiB: 32768, Price: 0.388472},
	{Name: "n2-standard-16", CPU: 16, MemoryMiB: 65536, Price: 0.776944},
	{Name: "n2-standard-32", CPU: 32, MemoryMiB: 131072, Price: 1.553888},
	{Name: "n2-standard-64", CPU: 64, MemoryMiB: 262144, Price: 3.107776},
	{Name: "n2-highmem-32", CPU: 32, MemoryMiB: 262144, Price: 2.096224},
	{Name: "n2-highmem-64", CPU: 64, MemoryMiB: 524288, Price: 4.192448},
}

// cheapest is the cheapest type of the table that holds cpu and memory.
func cheapest(cpu int, memoryMiB int64) (driver.Size, error) {
	s, ok := table.CheapestFit(cpu, memoryMiB)
	if !ok {
		return driver.Size{}, driver.Errorf(driver.KindPermanent,
			"no machine type of the driver's table (%s) has %d vCPUs and %d MiB: name one with machine_type in the template's gce block",
			sizesSource, cpu, memoryMiB)
	}
	return s, nil
}

// customType matches custom machine types: custom-4-8192, n2-custom-4-8192.
var customType = lazyRegexp(`^(?:[a-z0-9]+-)?custom-(\d+)-(\d+)(?:-ext)?$`)

// sizeOfType is a machine type's vCPUs and memory as far as the name or
// the table tells; ok is false otherwise.
func sizeOfType(name string) (driver.Size, bool) {
	if s, ok := table.Lookup(name); ok {
		return s, true
	}
	if m := customType().FindStringSubmatch(name); m != nil {
		cpu, _ := strconv.Atoi(m[1])
		mib, _ := strconv.ParseInt(m[2], 10, 64)
		return driver.Size{Name: name, CPU: cpu, MemoryMiB: mib}, true
	}
	return driver.Size{}, false
}

// sizeOf is an instance's size: the one asked for while it still runs
// the type chosen for it, else its type's (known holds what
// machineTypes.get said of types the table lacks).
func sizeOf(mtype, label string, known map[string]driver.Size) (int, int64) {
	if s, ok := parseSizeLabel(label); ok && s.Name == mtype {
		return s.CPU, s.MemoryMiB
	}
	if s, ok := sizeOfType(mtype); ok {
		return s.CPU, s.MemoryMiB
	}
	s := known[mtype]
	return s.CPU, s.MemoryMiB
}

// typeURL is the partial URL of a machine type in a zone.
func typeURL(zone, mtype string) string { return fmt.Sprintf("zones/%s/machineTypes/%s", zone, mtype) }
