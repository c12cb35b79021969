package ec2

import (
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/novacron/novacron/engine/driver"
)

// Tag keys the driver writes besides the marker's (driver.Marker.Tags).
const (
	tagName     = "Name"
	tagSize     = "novacron:size"     // sizeTag: the size asked for, the type chosen
	tagTemplate = "novacron:template" // driver.TemplateRef.ID, when it fits a tag
)

// maxTagValue is the longest tag value EC2 takes, in characters.
const maxTagValue = 256

// sizes are the vCPUs and memory of instance types the table lacks, as
// DescribeInstanceTypes gave them.
type sizes map[string]driver.Size

// tagMap is an instance's tags as a map.
func tagMap(tags []types.Tag) map[string]string {
	out := make(map[string]string, len(tags))
	for _, t := range tags {
		out[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return out
}

// vmOf is an instance as the engine sees it. disk is the root volume's
// size in GiB, or 0 when unknown.
func vmOf(i types.Instance, disk int, known sizes) driver.VM {
	tags := tagMap(i.Tags)
	marker, user := driver.MarkerFromTags(tags)
	delete(user, tagName)
	for k := range user {
		if strings.HasPrefix(k, "aws:") {
			delete(user, k) // AWS's own: no spec can set or keep them
		}
	}
	vm := driver.VM{
		ID: aws.ToString(i.InstanceId), Name: tags[tagName], Power: powerOf(i.State),
		DiskGB: disk, Template: tags[tagTemplate], Tags: user, Marker: marker,
	}
	if i.Placement != nil {
		vm.Host = aws.ToString(i.Placement.AvailabilityZone)
	}
	if ip := aws.ToString(i.PrivateIpAddress); ip != "" {
		vm.Addresses = append(vm.Addresses, ip)
	}
	if ip := aws.ToString(i.PublicIpAddress); ip != "" {
		vm.Addresses = append(vm.Addresses, ip)
	}
	vm.CPU, vm.MemoryMiB = sizeOf(string(i.InstanceType), tags[tagSize], known)
	return vm
}

// sizeOf is an instance's size: the one asked for while it still runs
// the type chosen for it, else its type's.
func sizeOf(itype, tag string, known sizes) (int, int64) {
	if s, ok := parseSizeTag(tag); ok && s.Name == itype {
		return s.CPU, s.MemoryMiB
	}
	if s, ok := lookupSize(itype); ok {
		return s.CPU, s.MemoryMiB
	}
	s := known[itype]
	return s.CPU, s.MemoryMiB
}

// powerOf maps EC2's states to the two a spec asks for: an instance on
// its way up counts as running, one on its way down as stopped.
func powerOf(s *types.InstanceState) driver.Power {
	if s == nil {
		return driver.PowerStopped
	}
	switch s.Name {
	case types.InstanceStateNamePending, types.InstanceStateNameRunning:
		return driver.PowerRunning
	}
	return driver.PowerStopped
}

// rootVolume is the ID of an instance's root EBS volume, or "".
func rootVolume(i types.Instance) string {
	for _, b := range i.BlockDeviceMappings {
		if aws.ToString(b.DeviceName) == aws.ToString(i.RootDeviceName) && b.Ebs != nil {
			return aws.ToString(b.Ebs.VolumeId)
		}
	}
	return ""
}

// ec2Tags turns a map into EC2 tags.
func ec2Tags(m map[string]string) []types.Tag {
	out := make([]types.Tag, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, types.Tag{Key: aws.String(k), Value: aws.String(m[k])})
	}
	return out
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }
