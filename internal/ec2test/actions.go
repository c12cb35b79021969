package ec2test

import "regexp"

// actionFunc reads an action's parameters and returns what runs it; it
// runs only when every parameter sent was read. Both run under the
// server's lock.
type actionFunc func(s *Server, p *params) (func() (any, *apiError), *apiError)

// actions are the calls the server answers.
var actions = map[string]actionFunc{
	"DescribeInstances":         describeInstances,
	"RunInstances":              runInstances,
	"StartInstances":            startInstances,
	"StopInstances":             stopInstances,
	"TerminateInstances":        terminateInstances,
	"ModifyInstanceAttribute":   modifyInstanceAttribute,
	"CreateTags":                createTags,
	"DeleteTags":                deleteTags,
	"DescribeImages":            describeImages,
	"DescribeInstanceTypes":     describeInstanceTypes,
	"DescribeAvailabilityZones": describeAvailabilityZones,
	"DescribeSubnets":           describeSubnets,
	"DescribeSecurityGroups":    describeSecurityGroups,
	"DescribeKeyPairs":          describeKeyPairs,
	"DescribeVolumes":           describeVolumes,
	"ModifyVolume":              modifyVolume,
}

// The shapes of the IDs EC2 hands out.
var (
	instanceIDPattern = regexp.MustCompile(`^i-([0-9a-f]{8}|[0-9a-f]{17})$`)
	imageIDPattern    = regexp.MustCompile(`^ami-([0-9a-f]{8}|[0-9a-f]{17})$`)
	volumeIDPattern   = regexp.MustCompile(`^vol-([0-9a-f]{8}|[0-9a-f]{17})$`)
)

// instancesByID finds instances by ID, all or none: a malformed ID is
// InvalidInstanceID.Malformed, an unknown one InvalidInstanceID.NotFound.
func (s *Server) instancesByID(ids []string) ([]*instance, *apiError) {
	if len(ids) == 0 {
		return nil, apiErr("MissingParameter", "The request must contain the parameter InstanceId")
	}
	now := s.now()
	out := make([]*instance, 0, len(ids))
	for _, id := range ids {
		if !instanceIDPattern.MatchString(id) {
			return nil, apiErr("InvalidInstanceID.Malformed", "Invalid id: \"%s\"", id)
		}
		i := s.instances[id]
		if i == nil {
			return nil, apiErr("InvalidInstanceID.NotFound", "The instance ID '%s' does not exist", id)
		}
		i.settle(now)
		out = append(out, i)
	}
	return out, nil
}

// ok is the answer of the actions that answer <return>true</return>.
type ok struct {
	Return bool `xml:"return"`
}
