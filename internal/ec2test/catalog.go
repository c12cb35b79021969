package ec2test

import "fmt"

// Image is an AMI the server knows.
type Image struct {
	ID           string
	Name         string
	Architecture string // x86_64 or arm64
	RootDevice   string // e.g. /dev/sda1
	SnapshotID   string
	SizeGB       int // the root snapshot's size: the smallest root volume
}

// InstanceType is an instance type the server knows.
type InstanceType struct {
	Name         string
	VCPUs        int
	MemoryMiB    int64
	Architecture string
}

// The AMIs every server knows.
const (
	// ImageX86 is an x86_64 Ubuntu-like AMI with an 8 GiB root on /dev/sda1.
	ImageX86 = "ami-0abcdef1234567890"
	// ImageARM is an arm64 AMI with an 8 GiB root on /dev/xvda.
	ImageARM = "ami-0fedcba9876543210"
)

// The networking every server knows.
const (
	SubnetA       = "subnet-0a1b2c3d4e5f60001" // in zone a
	SubnetB       = "subnet-0a1b2c3d4e5f60002" // in zone b
	SecurityGroup = "sg-0123456789abcdef0"
	KeyPair       = "novacron"
)

func defaultImages() []Image {
	return []Image{
		{ID: ImageX86, Name: "ubuntu-jammy-22.04-amd64-server", Architecture: "x86_64", RootDevice: "/dev/sda1", SnapshotID: "snap-0123456789abcdef0", SizeGB: 8},
		{ID: ImageARM, Name: "al2023-ami-arm64", Architecture: "arm64", RootDevice: "/dev/xvda", SnapshotID: "snap-0fedcba9876543210", SizeGB: 8},
	}
}

// defaultTypes are the instance types a server knows: the general-purpose,
// compute and memory families of both architectures, and a few more than
// a driver's price table may list.
func defaultTypes() []InstanceType {
	var out []InstanceType
	add := func(arch string, families []string, sizes []struct {
		name string
		cpu  int
	}, mibPerCPU int64) {
		for _, f := range families {
			for _, s := range sizes {
				out = append(out, InstanceType{Name: f + "." + s.name, VCPUs: s.cpu, MemoryMiB: int64(s.cpu) * mibPerCPU, Architecture: arch})
			}
		}
	}
	type size = struct {
		name string
		cpu  int
	}
	big := []size{{"large", 2}, {"xlarge", 4}, {"2xlarge", 8}, {"4xlarge", 16}, {"8xlarge", 32}, {"12xlarge", 48}, {"16xlarge", 64}}
	add("x86_64", []string{"m5", "m6i", "m6a", "m7i"}, big, 4096)
	add("x86_64", []string{"c5", "c6i", "c6a", "c7i"}, big, 2048)
	add("x86_64", []string{"r5", "r6i", "r6a", "r7i"}, big, 8192)
	medium := append([]size{{"medium", 1}}, big...)
	add("arm64", []string{"m6g", "m7g"}, medium, 4096)
	add("arm64", []string{"c6g", "c7g"}, medium, 2048)
	add("arm64", []string{"r6g", "r7g"}, medium, 8192)
	for _, f := range []struct{ family, arch string }{{"t3", "x86_64"}, {"t3a", "x86_64"}, {"t4g", "arm64"}} {
		for _, s := range []struct {
			name string
			cpu  int
			mib  int64
		}{{"nano", 2, 512}, {"micro", 2, 1024}, {"small", 2, 2048}, {"medium", 2, 4096}, {"large", 2, 8192}, {"xlarge", 4, 16384}, {"2xlarge", 8, 32768}} {
			out = append(out, InstanceType{Name: f.family + "." + s.name, VCPUs: s.cpu, MemoryMiB: s.mib, Architecture: f.arch})
		}
	}
	// Types outside the usual families, as a driver's table may not list.
	return append(out,
		InstanceType{Name: "z1d.large", VCPUs: 2, MemoryMiB: 16384, Architecture: "x86_64"},
		InstanceType{Name: "x2gd.medium", VCPUs: 1, MemoryMiB: 16384, Architecture: "arm64"},
	)
}

// zones are the region's availability zones.
func zones(region string) []string {
	return []string{region + "a", region + "b", region + "c"}
}

// subnetZones maps the known subnets to their zones.
func subnetZones(region string) map[string]string {
	return map[string]string{SubnetA: region + "a", SubnetB: region + "b"}
}

// newID makes an EC2-style ID: prefix, dash, 17 lower-case hex digits.
func newID(prefix string, n int) string { return fmt.Sprintf("%s-%017x", prefix, n) }
