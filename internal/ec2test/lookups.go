package ec2test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// image finds an AMI by ID.
func (s *Server) image(id string) (Image, *apiError) {
	if !imageIDPattern.MatchString(id) {
		return Image{}, apiErr("InvalidAMIID.Malformed", "Invalid id: \"%s\" (expecting \"ami-...\")", id)
	}
	im, ok := s.images[id]
	if !ok {
		return Image{}, apiErr("InvalidAMIID.NotFound", "The image id '[%s]' does not exist", id)
	}
	return im, nil
}

type imageEbsXML struct {
	SnapshotID          string `xml:"snapshotId"`
	VolumeSize          int    `xml:"volumeSize"`
	DeleteOnTermination bool   `xml:"deleteOnTermination"`
	VolumeType          string `xml:"volumeType"`
}

type imageMappingXML struct {
	DeviceName string      `xml:"deviceName"`
	Ebs        imageEbsXML `xml:"ebs"`
}

type imageXML struct {
	ImageID            string            `xml:"imageId"`
	ImageLocation      string            `xml:"imageLocation"`
	ImageState         string            `xml:"imageState"`
	OwnerID            string            `xml:"imageOwnerId"`
	IsPublic           bool              `xml:"isPublic"`
	Architecture       string            `xml:"architecture"`
	ImageType          string            `xml:"imageType"`
	Name               string            `xml:"name"`
	RootDeviceType     string            `xml:"rootDeviceType"`
	RootDeviceName     string            `xml:"rootDeviceName"`
	Mappings           []imageMappingXML `xml:"blockDeviceMapping>item"`
	VirtualizationType string            `xml:"virtualizationType"`
}

type imagesResult struct {
	Images []imageXML `xml:"imagesSet>item"`
}

// describeImages describes AMIs by ID (the only way served).
func describeImages(s *Server, p *params) (func() (any, *apiError), *apiError) {
	ids := p.list("ImageId")
	if len(ids) == 0 {
		return nil, apiErr("MissingParameter", "ec2test describes images by ImageId only")
	}
	return func() (any, *apiError) {
		var out imagesResult
		for _, id := range ids {
			im, err := s.image(id)
			if err != nil {
				return nil, err
			}
			out.Images = append(out.Images, imageXML{
				ImageID: im.ID, ImageLocation: ownerID + "/" + im.Name, ImageState: "available", OwnerID: ownerID, IsPublic: true,
				Architecture: im.Architecture, ImageType: "machine", Name: im.Name, RootDeviceType: "ebs", RootDeviceName: im.RootDevice,
				Mappings:           []imageMappingXML{{im.RootDevice, imageEbsXML{im.SnapshotID, im.SizeGB, true, "gp2"}}},
				VirtualizationType: "hvm",
			})
		}
		return out, nil
	}, nil
}

type typeXML struct {
	InstanceType  string   `xml:"instanceType"`
	Current       bool     `xml:"currentGeneration"`
	Burstable     bool     `xml:"burstablePerformanceSupported"`
	VCPUs         int      `xml:"vCpuInfo>defaultVCpus"`
	MemoryMiB     int64    `xml:"memoryInfo>sizeInMiB"`
	Architectures []string `xml:"processorInfo>supportedArchitectures>item"`
}

type typesResult struct {
	Types []typeXML `xml:"instanceTypeSet>item"`
}

// describeInstanceTypes describes instance types by name (the only way
// served).
func describeInstanceTypes(s *Server, p *params) (func() (any, *apiError), *apiError) {
	names := p.list("InstanceType")
	if len(names) == 0 || len(names) > 100 {
		return nil, apiErr("InvalidParameterValue", "ec2test describes 1 to 100 instance types by InstanceType, not %d", len(names))
	}
	return func() (any, *apiError) {
		var out typesResult
		var missing []string
		for _, n := range names {
			t, ok := s.types[n]
			if !ok {
				missing = append(missing, n)
				continue
			}
			out.Types = append(out.Types, typeXML{n, true, strings.HasPrefix(n, "t"), t.VCPUs, t.MemoryMiB, []string{t.Architecture}})
		}
		if len(missing) > 0 {
			return nil, apiErr("InvalidInstanceType", "The following supplied instance types do not exist: [%s]", strings.Join(missing, ", "))
		}
		return out, nil
	}, nil
}

type zoneXML struct {
	ZoneName  string `xml:"zoneName"`
	ZoneState string `xml:"zoneState"`
	Region    string `xml:"regionName"`
	ZoneID    string `xml:"zoneId"`
	ZoneType  string `xml:"zoneType"`
	OptIn     string `xml:"optInStatus"`
	GroupName string `xml:"groupName"`
}

type zonesResult struct {
	Zones []zoneXML `xml:"availabilityZoneInfo>item"`
}

// describeAvailabilityZones lists the region's zones.
func describeAvailabilityZones(s *Server, p *params) (func() (any, *apiError), *apiError) {
	return func() (any, *apiError) {
		var out zonesResult
		for n, z := range s.zones {
			out.Zones = append(out.Zones, zoneXML{z, "available", s.Region, fmt.Sprintf("use1-az%d", n+1), "availability-zone", "opt-in-not-required", s.Region})
		}
		return out, nil
	}, nil
}

type subnetXML struct {
	SubnetID  string `xml:"subnetId"`
	State     string `xml:"state"`
	VpcID     string `xml:"vpcId"`
	CidrBlock string `xml:"cidrBlock"`
	Zone      string `xml:"availabilityZone"`
	Available int    `xml:"availableIpAddressCount"`
}

type subnetsResult struct {
	Subnets []subnetXML `xml:"subnetSet>item"`
}

// vpcID is the one VPC's ID.
const vpcID = "vpc-0123456789abcdef0"

// describeSubnets describes subnets by ID.
func describeSubnets(s *Server, p *params) (func() (any, *apiError), *apiError) {
	ids := p.list("SubnetId")
	return func() (any, *apiError) {
		var out subnetsResult
		for n, id := range ids {
			zone, ok := s.subnets[id]
			if !ok {
				return nil, apiErr("InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist", id)
			}
			out.Subnets = append(out.Subnets, subnetXML{id, "available", vpcID, fmt.Sprintf("10.0.%d.0/24", n), zone, 250})
		}
		return out, nil
	}, nil
}

type groupInfoXML struct {
	OwnerID     string `xml:"ownerId"`
	GroupID     string `xml:"groupId"`
	GroupName   string `xml:"groupName"`
	Description string `xml:"groupDescription"`
	VpcID       string `xml:"vpcId"`
}

type groupsResult struct {
	Groups []groupInfoXML `xml:"securityGroupInfo>item"`
}

// describeSecurityGroups describes security groups by ID.
func describeSecurityGroups(s *Server, p *params) (func() (any, *apiError), *apiError) {
	ids := p.list("GroupId")
	return func() (any, *apiError) {
		var out groupsResult
		for _, id := range ids {
			if id != SecurityGroup {
				return nil, apiErr("InvalidGroup.NotFound", "The security group '%s' does not exist", id)
			}
			out.Groups = append(out.Groups, groupInfoXML{ownerID, id, "default", "default VPC security group", vpcID})
		}
		return out, nil
	}, nil
}

type keyXML struct {
	KeyName     string `xml:"keyName"`
	KeyPairID   string `xml:"keyPairId"`
	Fingerprint string `xml:"keyFingerprint"`
	KeyType     string `xml:"keyType"`
}

type keysResult struct {
	Keys []keyXML `xml:"keySet>item"`
}

// describeKeyPairs describes key pairs by name.
func describeKeyPairs(s *Server, p *params) (func() (any, *apiError), *apiError) {
	names := p.list("KeyName")
	return func() (any, *apiError) {
		var out keysResult
		for _, n := range names {
			if n != KeyPair {
				return nil, apiErr("InvalidKeyPair.NotFound", "The key pair '%s' does not exist", n)
			}
			out.Keys = append(out.Keys, keyXML{n, "key-0123456789abcdef0", "1f:51:ae:28:bf:89:e9:d8:1f:25:5d:37:2d:7d:b8:ca:9f:f5:f1:6f", "ed25519"})
		}
		return out, nil
	}, nil
}

// volume finds a volume by ID.
func (s *Server) volume(id string) (*volume, *apiError) {
	if !volumeIDPattern.MatchString(id) {
		return nil, apiErr("InvalidParameterValue", "Invalid id: \"%s\" (expecting \"vol-...\")", id)
	}
	v := s.volumes[id]
	if v == nil {
		return nil, apiErr("InvalidVolume.NotFound", "The volume '%s' does not exist.", id)
	}
	return v, nil
}

type attachmentXML struct {
	VolumeID            string `xml:"volumeId"`
	InstanceID          string `xml:"instanceId"`
	Device              string `xml:"device"`
	Status              string `xml:"status"`
	DeleteOnTermination bool   `xml:"deleteOnTermination"`
}

type volumeXML struct {
	VolumeID    string          `xml:"volumeId"`
	Size        int             `xml:"size"`
	Zone        string          `xml:"availabilityZone"`
	Status      string          `xml:"status"`
	CreateTime  string          `xml:"createTime"`
	VolumeType  string          `xml:"volumeType"`
	Attachments []attachmentXML `xml:"attachmentSet>item"`
	Tags        []tagXML        `xml:"tagSet>item"`
}

type volumesResult struct {
	Volumes []volumeXML `xml:"volumeSet>item"`
}

// describeVolumes describes volumes by ID (the only way served).
func describeVolumes(s *Server, p *params) (func() (any, *apiError), *apiError) {
	ids := p.list("VolumeId")
	if len(ids) == 0 {
		return nil, apiErr("MissingParameter", "ec2test describes volumes by VolumeId only")
	}
	return func() (any, *apiError) {
		var out volumesResult
		for _, id := range ids {
			v, err := s.volume(id)
			if err != nil {
				return nil, err
			}
			x := volumeXML{v.id, v.sizeGB, v.zone, "in-use", timeText(v.created), v.kind,
				[]attachmentXML{{v.id, v.instance, v.device, "attached", true}}, nil}
			for _, k := range slices.Sorted(maps.Keys(v.tags)) {
				x.Tags = append(x.Tags, tagXML{k, v.tags[k]})
			}
			out.Volumes = append(out.Volumes, x)
		}
		return out, nil
	}, nil
}

type modificationXML struct {
	VolumeID   string `xml:"volumeId"`
	State      string `xml:"modificationState"`
	TargetSize int    `xml:"targetSize"`
	Original   int    `xml:"originalSize"`
	Progress   int    `xml:"progress"`
	StartTime  string `xml:"startTime"`
}

type modifyVolumeResult struct {
	Modification modificationXML `xml:"volumeModification"`
}

// modifyVolume grows a volume, online. A volume is modified once here
// (EC2 allows one modification per volume every six hours).
func modifyVolume(s *Server, p *params) (func() (any, *apiError), *apiError) {
	id, err := p.required("VolumeId")
	if err != nil {
		return nil, err
	}
	size, err := p.integer("Size", 0)
	if err != nil {
		return nil, err
	}
	return func() (any, *apiError) {
		v, err := s.volume(id)
		if err != nil {
			return nil, err
		}
		if size <= v.sizeGB {
			return nil, apiErr("InvalidParameterValue", "New size cannot be smaller than existing size (%d GiB); to keep it, do not modify the volume", v.sizeGB)
		}
		if slices.Contains([]string{"standard"}, v.kind) {
			return nil, apiErr("InvalidParameterValue", "Volume type standard cannot be modified")
		}
		before := v.sizeGB
		v.sizeGB, v.modified = size, true
		return modifyVolumeResult{modificationXML{id, "modifying", size, before, 0, timeText(s.now())}}, nil
	}, nil
}
