package ec2test

import (
	"maps"
	"slices"
	"time"
)

// The instance states, with EC2's codes.
const (
	statePending      = "pending"
	stateRunning      = "running"
	stateShuttingDown = "shutting-down"
	stateTerminated   = "terminated"
	stateStopping     = "stopping"
	stateStopped      = "stopped"
)

var stateCodes = map[string]int{
	statePending: 0, stateRunning: 16, stateShuttingDown: 32,
	stateTerminated: 48, stateStopping: 64, stateStopped: 80,
}

// settled is the state a transitional state ends in.
var settled = map[string]string{
	statePending: stateRunning, stateStopping: stateStopped, stateShuttingDown: stateTerminated,
}

type tag struct{ Key, Value string }

// instance is one EC2 instance.
type instance struct {
	id, reservation string
	image           Image
	itype           string
	zone, subnet    string
	groups          []string
	key             string
	userData        string // base64, as sent
	token           string
	launched        time.Time
	privateIP       string
	volume          string // the root volume's ID
	tags            map[string]string

	state string
	until time.Time // when a transitional state settles
}

// settle moves a transitional state on when its time has come.
func (i *instance) settle(now time.Time) {
	if next, ok := settled[i.state]; ok && !now.Before(i.until) {
		i.state = next
	}
}

// move starts a transition to state, settling after d.
func (i *instance) move(state string, now time.Time, d time.Duration) {
	i.state, i.until = state, now.Add(d)
}

// volume is an instance's root EBS volume.
type volume struct {
	id, instance, device, zone, kind string
	sizeGB                           int
	created                          time.Time
	modified                         bool
	tags                             map[string]string
}

// Instance is what a test sees of an instance.
type Instance struct {
	ID, Name, State, Type, Zone, Subnet, Image, KeyName, ClientToken string
	SecurityGroups                                                   []string
	Tags                                                             map[string]string
	UserData                                                         string // decoded
	RootGB                                                           int
}

// snapshot is what a test sees of i.
func (s *Server) snapshot(i *instance) Instance {
	out := Instance{
		ID: i.id, Name: i.tags["Name"], State: i.state, Type: i.itype, Zone: i.zone, Subnet: i.subnet,
		Image: i.image.ID, KeyName: i.key, ClientToken: i.token,
		SecurityGroups: slices.Clone(i.groups), Tags: maps.Clone(i.tags), UserData: decodeUserData(i.userData),
	}
	if v := s.volumes[i.volume]; v != nil {
		out.RootGB = v.sizeGB
	}
	return out
}
