package ec2

import "github.com/novacron/novacron/engine/driver"

// The instance types the driver chooses from when a template names none,
// with their On-Demand price per hour in USD for Linux in us-east-1.
//
// Source: the AWS price list, https://aws.amazon.com/ec2/pricing/on-demand/
// (Linux, US East (N. Virginia)), as published in January 2025. Prices
// differ by region and change over time; the table is used only to order
// types, and within these families the order is the same in every region.
// An instance_type in the template overrides it with any type EC2 offers.
const sizesSource = "AWS EC2 On-Demand price list, Linux, us-east-1, January 2025"

// burstable are the t families: their vCPUs run at a baseline with credits
// for bursts.
var burstable = []struct {
	family string
	arch   string
	nano   float64 // the nano size's price; each size up doubles it
}{
	{"t3", archX86, 0.0052},
	{"t3a", archX86, 0.0047},
	{"t4g", archARM, 0.0042},
}

// burstableSizes are the t families' sizes: name, vCPUs, MiB.
var burstableSizes = []struct {
	name string
	cpu  int
	mib  int64
}{
	{"nano", 2, 512}, {"micro", 2, 1024}, {"small", 2, 2048}, {"medium", 2, 4096},
	{"large", 2, 8192}, {"xlarge", 4, 16384}, {"2xlarge", 8, 32768},
}

// fixed are the general-purpose (m), compute (c) and memory (r) families,
// whose price is linear in vCPUs.
var fixed = []struct {
	family    string
	arch      string
	mibPerCPU int64
	perCPU    float64 // price per vCPU-hour
	medium    bool    // has a 1-vCPU medium size
}{
	{"m6i", archX86, 4096, 0.048, false},
	{"m6a", archX86, 4096, 0.0432, false},
	{"c6i", archX86, 2048, 0.0425, false},
	{"c6a", archX86, 2048, 0.03825, false},
	{"r6i", archX86, 8192, 0.063, false},
	{"r6a", archX86, 8192, 0.0567, false},
	{"m7g", archARM, 4096, 0.0408, true},
	{"c7g", archARM, 2048, 0.03625, true},
	{"r7g", archARM, 8192, 0.05355, true},
}

// fixedSizes are the m, c and r families' sizes from large up.
var fixedSizes = []struct {
	name string
	cpu  int
}{
	{"large", 2}, {"xlarge", 4}, {"2xlarge", 8}, {"4xlarge", 16}, {"8xlarge", 32}, {"12xlarge", 48}, {"16xlarge", 64},
}

// The architectures of AMIs and instance types, as EC2 names them.
const (
	archX86 = "x86_64"
	archARM = "arm64"
)

// sizeTables are the types of each architecture.
var sizeTables = buildTables()

func buildTables() map[string]driver.SizeTable {
	out := map[string]driver.SizeTable{}
	for _, f := range burstable {
		price := f.nano
		for _, s := range burstableSizes {
			out[f.arch] = append(out[f.arch], driver.Size{Name: f.family + "." + s.name, CPU: s.cpu, MemoryMiB: s.mib, Price: price})
			price *= 2
		}
	}
	for _, f := range fixed {
		if f.medium {
			out[f.arch] = append(out[f.arch], driver.Size{Name: f.family + ".medium", CPU: 1, MemoryMiB: f.mibPerCPU, Price: f.perCPU})
		}
		for _, s := range fixedSizes {
			out[f.arch] = append(out[f.arch], driver.Size{
				Name: f.family + "." + s.name, CPU: s.cpu, MemoryMiB: int64(s.cpu) * f.mibPerCPU, Price: float64(s.cpu) * f.perCPU,
			})
		}
	}
	return out
}

// lookupSize finds a type of the table, of any architecture.
func lookupSize(name string) (driver.Size, bool) {
	for _, t := range sizeTables {
		if s, ok := t.Lookup(name); ok {
			return s, true
		}
	}
	return driver.Size{}, false
}

// cheapest is the cheapest type of the architecture with cpu vCPUs and
// memoryMiB of memory.
func cheapest(arch string, cpu int, memoryMiB int64) (driver.Size, error) {
	s, ok := sizeTables[arch].CheapestFit(cpu, memoryMiB)
	if !ok {
		return driver.Size{}, driver.Errorf(driver.KindPermanent,
			"no %s instance type of the driver's table (%s) has %d vCPUs and %d MiB: set instance_type in the template's ec2 block",
			arch, sizesSource, cpu, memoryMiB)
	}
	return s, nil
}

// size is what the size tag records (driver.SizeChoice).
type size = driver.SizeChoice

// sizeTag is the tag's value: "2/4096/t3a.medium", "2/4096/m6i.large/pinned".
func sizeTag(s size) string { return s.Record("/") }

// parseSizeTag reads a size tag; ok is false when it is not one.
func parseSizeTag(v string) (size, bool) { return driver.ParseSizeChoice(v, "/") }
