package ec2test

import (
	"encoding/base64"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// launch is one RunInstances, kept by its ClientToken.
type launch struct {
	request  string // the parameters, for IdempotentParameterMismatch
	instance *instance
}

// runRequest is what a RunInstances asks for.
type runRequest struct {
	image, itype, token, subnet, key, userData, zone string
	groups                                           []string
	rootDevice                                       string
	rootGB                                           int // 0: the image's size
	volumeType                                       string
	tags, volumeTags                                 []tag
	request                                          string
}

// runInstances launches one instance, or answers the launch its
// ClientToken already made.
func runInstances(s *Server, p *params) (func() (any, *apiError), *apiError) {
	r, err := readRun(p)
	if err != nil {
		return nil, err
	}
	return func() (any, *apiError) {
		if l, ok := s.tokens[r.token]; ok && r.token != "" {
			if l.request != r.request {
				return nil, apiErr("IdempotentParameterMismatch", "Arguments on this idempotent request are inconsistent with arguments used in previous request(s).")
			}
			l.instance.settle(s.now())
			return s.reservationOf(l.instance), nil
		}
		if err := s.checkRun(r); err != nil {
			return nil, err
		}
		i := s.launch(r)
		if r.token != "" {
			s.tokens[r.token] = &launch{request: r.request, instance: i}
		}
		return s.reservationOf(i), nil
	}, nil
}

// readRun reads RunInstances' parameters.
func readRun(p *params) (runRequest, *apiError) {
	var r runRequest
	var err *apiError
	if r.image, err = p.required("ImageId"); err != nil {
		return r, err
	}
	if r.itype, err = p.required("InstanceType"); err != nil {
		return r, err
	}
	for _, k := range []string{"MinCount", "MaxCount"} {
		n, err := p.integer(k, 0)
		if err != nil {
			return r, err
		}
		if n != 1 {
			return r, apiErr("InvalidParameterValue", "ec2test launches one instance per call: %s must be 1, not %d", k, n)
		}
	}
	r.token, r.subnet, r.key = p.str("ClientToken"), p.str("SubnetId"), p.str("KeyName")
	r.userData, r.zone = p.str("UserData"), p.str("Placement.AvailabilityZone")
	r.groups = p.list("SecurityGroupId")
	if len(r.token) > 64 {
		return r, apiErr("InvalidParameterValue", "ClientToken is limited to 64 characters")
	}
	if v := p.str("MetadataOptions.HttpTokens"); v != "" && v != "required" && v != "optional" {
		return r, apiErr("InvalidParameterValue", "Invalid value '%s' for HttpTokens", v)
	}
	if err := readMappings(p, &r); err != nil {
		return r, err
	}
	if err := readTagSpecs(p, &r); err != nil {
		return r, err
	}
	r.request = requestText(p)
	return r, nil
}

// requestText is a call's parameters but its ClientToken, in one string.
func requestText(p *params) string {
	v := maps.Clone(p.v)
	delete(v, "ClientToken")
	return v.Encode()
}

// readMappings reads BlockDeviceMapping.N: the root device only.
func readMappings(p *params, r *runRequest) *apiError {
	n := p.groups("BlockDeviceMapping")
	if n > 1 {
		return apiErr("InvalidBlockDeviceMapping", "ec2test takes one block device mapping, the root device's")
	}
	if n == 0 {
		return nil
	}
	var err *apiError
	if r.rootDevice, err = p.required("BlockDeviceMapping.1.DeviceName"); err != nil {
		return err
	}
	if r.rootGB, err = p.integer("BlockDeviceMapping.1.Ebs.VolumeSize", 0); err != nil {
		return err
	}
	if _, err = p.boolean("BlockDeviceMapping.1.Ebs.DeleteOnTermination", true); err != nil {
		return err
	}
	r.volumeType = p.str("BlockDeviceMapping.1.Ebs.VolumeType")
	if r.volumeType != "" && !slices.Contains([]string{"standard", "gp2", "gp3", "io1", "io2", "st1", "sc1"}, r.volumeType) {
		return apiErr("InvalidParameterValue", "Value (%s) for parameter volumeType is invalid.", r.volumeType)
	}
	return nil
}

// readTagSpecs reads TagSpecification.N for instances and volumes.
func readTagSpecs(p *params, r *runRequest) *apiError {
	for n := 1; n <= p.groups("TagSpecification"); n++ {
		kind, err := p.required(fmt.Sprintf("TagSpecification.%d.ResourceType", n))
		if err != nil {
			return err
		}
		tags, err := p.tags(fmt.Sprintf("TagSpecification.%d.Tag", n))
		if err != nil {
			return err
		}
		if err := checkTags(tags); err != nil {
			return err
		}
		switch kind {
		case "instance":
			r.tags = append(r.tags, tags...)
		case "volume":
			r.volumeTags = append(r.volumeTags, tags...)
		default:
			return apiErr("InvalidParameterValue", "ec2test tags instances and volumes at launch, not %q", kind)
		}
	}
	return nil
}

// checkTags checks what EC2 checks of tags.
func checkTags(tags []tag) *apiError {
	if len(tags) > maxTags {
		return apiErr("TagLimitExceeded", "The maximum number of Tags for a resource has been reached.")
	}
	for _, t := range tags {
		switch {
		case t.Key == "" || len(t.Key) > 128:
			return apiErr("InvalidParameterValue", "Tag keys must be 1 to 128 characters: %q", t.Key)
		case len([]rune(t.Value)) > 256:
			return apiErr("InvalidParameterValue", "Tag value exceeds the maximum length of 256 characters (key %q)", t.Key)
		case strings.HasPrefix(strings.ToLower(t.Key), "aws:"):
			return apiErr("InvalidParameterValue", "Tag keys starting with 'aws:' are reserved for internal use")
		}
	}
	return nil
}

// maxTags is how many tags a resource may have.
const maxTags = 50

// checkRun checks a launch against what the server knows.
func (s *Server) checkRun(r runRequest) *apiError {
	im, err := s.image(r.image)
	if err != nil {
		return err
	}
	t, ok := s.types[r.itype]
	if !ok {
		return apiErr("InvalidParameterValue", "Invalid value '%s' for InstanceType.", r.itype)
	}
	if t.Architecture != im.Architecture {
		return apiErr("InvalidParameterValue", "The architecture '%s' of the specified instance type does not match the architecture '%s' of the specified AMI.", t.Architecture, im.Architecture)
	}
	if err := s.checkPlacement(r); err != nil {
		return err
	}
	if r.rootDevice != "" && r.rootDevice != im.RootDevice {
		return apiErr("InvalidBlockDeviceMapping", "ec2test maps only the AMI's root device %s, not %s", im.RootDevice, r.rootDevice)
	}
	if r.rootGB != 0 && r.rootGB < im.SizeGB {
		return apiErr("InvalidBlockDeviceMapping", "Volume of size %dGB is smaller than snapshot '%s', expect size >= %dGB", r.rootGB, im.SnapshotID, im.SizeGB)
	}
	return checkUserData(r.userData)
}

// checkPlacement checks the subnet, zone, security groups and key pair.
func (s *Server) checkPlacement(r runRequest) *apiError {
	if r.subnet != "" {
		zone, ok := s.subnets[r.subnet]
		if !ok {
			return apiErr("InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist", r.subnet)
		}
		if r.zone != "" && r.zone != zone {
			return apiErr("InvalidParameterValue", "Value (%s) for parameter availabilityZone is invalid. Subnet '%s' is in the availability zone %s", r.zone, r.subnet, zone)
		}
	}
	if r.zone != "" && !slices.Contains(s.zones, r.zone) {
		return apiErr("InvalidParameterValue", "Invalid availability zone: [%s]", r.zone)
	}
	for _, g := range r.groups {
		if g != SecurityGroup {
			return apiErr("InvalidGroup.NotFound", "The security group '%s' does not exist", g)
		}
	}
	if r.key != "" && r.key != KeyPair {
		return apiErr("InvalidKeyPair.NotFound", "The key pair '%s' does not exist", r.key)
	}
	return nil
}

// checkUserData checks that user data is base64 of at most 16 KB.
func checkUserData(s string) *apiError {
	if s == "" {
		return nil
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return apiErr("InvalidParameterValue", "Invalid BASE64 encoding of user data.")
	}
	if len(b) > 16384 {
		return apiErr("InvalidParameterValue", "User data is limited to 16384 bytes")
	}
	return nil
}

// launch makes the instance and its root volume, pending.
func (s *Server) launch(r runRequest) *instance {
	s.seq++
	now := s.now()
	im := s.images[r.image]
	zone := r.zone
	if r.subnet != "" {
		zone = s.subnets[r.subnet]
	}
	if zone == "" {
		zone = s.zones[s.seq%len(s.zones)]
	}
	i := &instance{
		id: newID("i", s.seq), reservation: newID("r", s.seq), image: im, itype: r.itype,
		zone: zone, subnet: r.subnet, groups: r.groups, key: r.key, userData: r.userData, token: r.token,
		launched: now, privateIP: fmt.Sprintf("10.0.%d.%d", (s.seq>>8)&255, s.seq&255),
		volume: newID("vol", s.seq), tags: map[string]string{},
	}
	for _, t := range r.tags {
		i.tags[t.Key] = t.Value
	}
	size := r.rootGB
	if size == 0 {
		size = im.SizeGB
	}
	kind := r.volumeType
	if kind == "" {
		kind = "gp2"
	}
	v := &volume{id: i.volume, instance: i.id, device: im.RootDevice, zone: zone, kind: kind, sizeGB: size, created: now, tags: map[string]string{}}
	for _, t := range r.volumeTags {
		v.tags[t.Key] = t.Value
	}
	s.volumes[v.id] = v
	i.move(statePending, now, s.transition)
	s.instances[i.id] = i
	s.order = append(s.order, i)
	return i
}

// seed starts n unmanaged running instances.
func (s *Server) seed(n int) {
	for k := range n {
		i := s.launch(runRequest{image: ImageX86, itype: "t3.micro", tags: []tag{{"Name", fmt.Sprintf("unmanaged-%04d", k)}}})
		i.state = stateRunning
	}
}
