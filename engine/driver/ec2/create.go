package ec2

import (
	"context"
	"encoding/base64"
	"maps"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/novacron/novacron/engine/driver"
)

// maxUserData is the most user data EC2 takes, before encoding.
const maxUserData = 16 << 10

// Create launches one instance with its tags (marker included) written by
// RunInstances itself, waits until it runs, and stops it when the spec
// wants it stopped. Everything a launch needs is checked first (the AMI,
// the instance type, the disk size, the tags), so a refused VM leaves
// nothing behind.
func (d *Driver) Create(ctx context.Context, spec driver.VMSpec) (driver.VM, error) {
	in, err := d.runInput(ctx, spec)
	if err != nil {
		return driver.VM{}, err
	}
	out, err := d.c.RunInstances(ctx, in)
	if err != nil {
		return driver.VM{}, fail(err, "launching %s (ami %s, %s)", spec.Name, aws.ToString(in.ImageId), in.InstanceType)
	}
	if len(out.Instances) != 1 {
		return driver.VM{}, driver.Errorf(driver.KindPermanent, "launching %s: EC2 answered %d instances, want 1", spec.Name, len(out.Instances))
	}
	id := aws.ToString(out.Instances[0].InstanceId)
	if err := d.waitRunning(ctx, id); err != nil {
		return driver.VM{}, err
	}
	if spec.Power == driver.PowerStopped {
		if err := d.stop(ctx, id); err != nil {
			return driver.VM{}, err
		}
	}
	return d.vm(ctx, id)
}

// runInput is the RunInstances call that makes spec.
func (d *Driver) runInput(ctx context.Context, spec driver.VMSpec) (*ec2.RunInstancesInput, error) {
	tc := spec.Template.Config
	ami := tc.String(tmplAMI)
	im, err := d.describeImage(ctx, ami)
	if err != nil {
		return nil, err
	}
	if spec.DiskGB < im.sizeGB {
		return nil, driver.Errorf(driver.KindPermanent, "disk_gb %d is smaller than the root snapshot of ami %s (%d GB): a root volume cannot be", spec.DiskGB, ami, im.sizeGB)
	}
	itype, err := d.chooseType(ctx, tc.String(tmplInstanceType), im.arch, spec.CPU, spec.MemoryMiB)
	if err != nil {
		return nil, err
	}
	tags, err := d.launchTags(spec, itype)
	if err != nil {
		return nil, err
	}
	in := &ec2.RunInstancesInput{
		ImageId: aws.String(ami), InstanceType: types.InstanceType(itype),
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		BlockDeviceMappings: []types.BlockDeviceMapping{{DeviceName: aws.String(im.rootDevice), Ebs: &types.EbsBlockDevice{
			VolumeSize: aws.Int32(int32(spec.DiskGB)), VolumeType: types.VolumeTypeGp3, DeleteOnTermination: aws.Bool(true),
		}}},
		TagSpecifications: []types.TagSpecification{
			{ResourceType: types.ResourceTypeInstance, Tags: ec2Tags(tags)},
			{ResourceType: types.ResourceTypeVolume, Tags: ec2Tags(volumeTags(spec))},
		},
		SecurityGroupIds: d.cfg.groups,
	}
	d.placement(in, spec)
	return in, d.userData(in, tc.String(tmplUserData))
}

// placement fills where the instance goes and what it accepts.
func (d *Driver) placement(in *ec2.RunInstancesInput, spec driver.VMSpec) {
	if t := clientToken(spec.Marker, d.nonce); t != "" {
		in.ClientToken = aws.String(t)
	}
	if d.cfg.subnet != "" {
		in.SubnetId = aws.String(d.cfg.subnet)
	}
	if d.cfg.keyName != "" {
		in.KeyName = aws.String(d.cfg.keyName)
	}
	if spec.Host != "" {
		in.Placement = &types.Placement{AvailabilityZone: aws.String(spec.Host)}
	}
}

// userData encodes the template's user data, at most 16 KB.
func (d *Driver) userData(in *ec2.RunInstancesInput, text string) error {
	if text == "" {
		return nil
	}
	if len(text) > maxUserData {
		return driver.Errorf(driver.KindPermanent, "user_data is %d bytes: EC2 takes at most %d", len(text), maxUserData)
	}
	in.UserData = aws.String(base64.StdEncoding.EncodeToString([]byte(text)))
	return nil
}

// launchTags are an instance's tags: its name, the user's tags, the
// marker, the size asked for and the template's ID (when it fits).
func (d *Driver) launchTags(spec driver.VMSpec, itype string) (map[string]string, error) {
	tags, err := userTags(spec.Tags)
	if err != nil {
		return nil, err
	}
	tags[tagName] = spec.Name
	if spec.Marker != (driver.Marker{}) {
		maps.Copy(tags, spec.Marker.Tags())
	}
	tags[tagSize] = sizeTag(size{CPU: spec.CPU, MemoryMiB: spec.MemoryMiB, Name: itype, Pinned: spec.Template.Config.String(tmplInstanceType) != ""})
	if id := spec.Template.ID(); len(id) <= maxTagValue {
		tags[tagTemplate] = id
	}
	return tags, nil
}

// volumeTags mark the root volume with the VM's name and marker.
func volumeTags(spec driver.VMSpec) map[string]string {
	tags := map[string]string{tagName: spec.Name}
	if spec.Marker != (driver.Marker{}) {
		maps.Copy(tags, spec.Marker.Tags())
	}
	return tags
}

// userTags checks the user's tags and copies them: Name is the VM's name,
// novacron: and aws: keys are reserved.
func userTags(tags map[string]string) (map[string]string, error) {
	if len(tags) > maxUserTags {
		return nil, driver.Errorf(driver.KindPermanent, "%d tags: EC2 takes 50 per instance, and NovaCron writes %d of them", len(tags), 50-maxUserTags)
	}
	out := make(map[string]string, len(tags)+6)
	for k, v := range tags {
		lower := strings.ToLower(k)
		switch {
		case k == tagName:
			return nil, driver.Errorf(driver.KindPermanent, "tag Name: on EC2 it is the VM's name, set by name")
		case strings.HasPrefix(lower, "novacron:") || strings.HasPrefix(lower, "aws:"):
			return nil, driver.Errorf(driver.KindPermanent, "tag %q: keys starting with novacron: or aws: are reserved", k)
		case len(k) > 128 || len([]rune(v)) > maxTagValue:
			return nil, driver.Errorf(driver.KindPermanent, "tag %q: EC2 takes keys of at most 128 characters and values of at most 256", k)
		}
		out[k] = v
	}
	return out, nil
}

// maxUserTags leaves room for Name, the marker's three, size and template.
const maxUserTags = 44

// chooseType is the template's instance type when it has one (which must
// exist and hold the VM's cpu and memory), else the cheapest fit.
func (d *Driver) chooseType(ctx context.Context, pinned, arch string, cpu int, memoryMiB int64) (string, error) {
	if pinned == "" {
		s, err := cheapest(arch, cpu, memoryMiB)
		return s.Name, err
	}
	s, ok := lookupSize(pinned)
	if !ok {
		out, err := d.c.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{InstanceTypes: []types.InstanceType{types.InstanceType(pinned)}})
		if err != nil {
			return "", fail(err, "the template's instance_type %s in region %s", pinned, d.region)
		}
		if len(out.InstanceTypes) != 1 {
			return "", driver.Errorf(driver.KindPermanent, "instance_type %s: no such instance type in region %s", pinned, d.region)
		}
		s = sizeOfType(out.InstanceTypes[0])
	}
	if s.CPU < cpu || s.MemoryMiB < memoryMiB {
		return "", driver.Errorf(driver.KindPermanent, "instance_type %s has %s and %d MiB, less than the VM's %s and %d MiB", pinned, driver.VCPUs(s.CPU), s.MemoryMiB, driver.VCPUs(cpu), memoryMiB)
	}
	return pinned, nil
}
