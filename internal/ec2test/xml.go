package ec2test

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"maps"
	"slices"
	"time"
)

// xmlns is the namespace of EC2's answers.
const xmlns = "http://ec2.amazonaws.com/doc/2016-11-15/"

type tagXML struct {
	Key   string `xml:"key"`
	Value string `xml:"value"`
}

type stateXML struct {
	Code int    `xml:"code"`
	Name string `xml:"name"`
}

type groupXML struct {
	ID   string `xml:"groupId"`
	Name string `xml:"groupName"`
}

type ebsXML struct {
	VolumeID            string `xml:"volumeId"`
	Status              string `xml:"status"`
	AttachTime          string `xml:"attachTime"`
	DeleteOnTermination bool   `xml:"deleteOnTermination"`
}

type mappingXML struct {
	DeviceName string `xml:"deviceName"`
	Ebs        ebsXML `xml:"ebs"`
}

type instanceXML struct {
	InstanceID     string       `xml:"instanceId"`
	ImageID        string       `xml:"imageId"`
	State          stateXML     `xml:"instanceState"`
	PrivateDNS     string       `xml:"privateDnsName"`
	KeyName        string       `xml:"keyName,omitempty"`
	InstanceType   string       `xml:"instanceType"`
	LaunchTime     string       `xml:"launchTime"`
	Zone           string       `xml:"placement>availabilityZone"`
	SubnetID       string       `xml:"subnetId,omitempty"`
	PrivateIP      string       `xml:"privateIpAddress,omitempty"`
	Groups         []groupXML   `xml:"groupSet>item"`
	Architecture   string       `xml:"architecture"`
	RootDeviceType string       `xml:"rootDeviceType"`
	RootDeviceName string       `xml:"rootDeviceName"`
	Mappings       []mappingXML `xml:"blockDeviceMapping>item"`
	ClientToken    string       `xml:"clientToken,omitempty"`
	Tags           []tagXML     `xml:"tagSet>item"`
	StateReason    *reasonXML   `xml:"stateReason,omitempty"`
	CoreCount      int          `xml:"cpuOptions>coreCount"`
	ThreadsPerCore int          `xml:"cpuOptions>threadsPerCore"`
}

type reasonXML struct {
	Code    string `xml:"code"`
	Message string `xml:"message"`
}

type reservationXML struct {
	ReservationID string        `xml:"reservationId"`
	OwnerID       string        `xml:"ownerId"`
	Groups        []groupXML    `xml:"groupSet>item"`
	Instances     []instanceXML `xml:"instancesSet>item"`
}

// ownerID is the one account's ID.
const ownerID = "123456789012"

// timeText is EC2's time format.
func timeText(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// xmlOf is an instance as DescribeInstances shows it.
func (s *Server) xmlOf(i *instance) instanceXML {
	t := s.types[i.itype]
	x := instanceXML{
		InstanceID: i.id, ImageID: i.image.ID, State: stateXML{stateCodes[i.state], i.state},
		KeyName: i.key, InstanceType: i.itype, LaunchTime: timeText(i.launched), Zone: i.zone,
		SubnetID: i.subnet, Architecture: i.image.Architecture, RootDeviceType: "ebs",
		RootDeviceName: i.image.RootDevice, ClientToken: i.token,
		CoreCount: max(t.VCPUs/2, 1), ThreadsPerCore: min(t.VCPUs, 2),
	}
	if i.state != stateTerminated {
		x.PrivateIP, x.PrivateDNS = i.privateIP, "ip-"+i.privateIP+".ec2.internal"
		x.Mappings = []mappingXML{{DeviceName: i.image.RootDevice, Ebs: ebsXML{VolumeID: i.volume, Status: "attached", AttachTime: timeText(i.launched), DeleteOnTermination: true}}}
	}
	for _, g := range i.groups {
		x.Groups = append(x.Groups, groupXML{ID: g, Name: "default"})
	}
	for _, k := range slices.Sorted(maps.Keys(i.tags)) {
		x.Tags = append(x.Tags, tagXML{k, i.tags[k]})
	}
	if i.state == stateTerminated || i.state == stateShuttingDown {
		x.StateReason = &reasonXML{"Client.UserInitiatedShutdown", "Client.UserInitiatedShutdown: User initiated shutdown"}
	}
	return x
}

// response is an action's answer: <ActionResponse> with its request ID
// and the fields of an action's answer struct.
type response struct {
	XMLName   xml.Name
	Xmlns     string `xml:"xmlns,attr"`
	RequestID string `xml:"requestId"`
	Inner     []byte `xml:",innerxml"`
}

// encodeResponse is the document answering action with body's fields.
func encodeResponse(action, requestID string, body any) ([]byte, error) {
	r := response{XMLName: xml.Name{Local: action + "Response"}, Xmlns: xmlns, RequestID: requestID}
	if body != nil {
		b, err := xml.Marshal(body)
		if err != nil {
			return nil, err
		}
		r.Inner = inner(b)
	}
	out, err := xml.Marshal(r)
	return append([]byte(xml.Header), out...), err
}

// inner is an element's content, without its own tags.
func inner(element []byte) []byte {
	open := bytes.IndexByte(element, '>')
	closing := bytes.LastIndex(element, []byte("</"))
	if open < 0 || element[open-1] == '/' || closing < open {
		return nil // <T/>: empty
	}
	return element[open+1 : closing]
}

// decodeUserData decodes base64 user data; "" when it is not.
func decodeUserData(s string) string {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return ""
	}
	return string(b)
}
