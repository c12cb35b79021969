package ec2test

type stateChangeXML struct {
	InstanceID string   `xml:"instanceId"`
	Current    stateXML `xml:"currentState"`
	Previous   stateXML `xml:"previousState"`
}

type stateChanges struct {
	Instances []stateChangeXML `xml:"instancesSet>item"`
}

// transition is what an action does to an instance in a state: the state
// it moves to (settling later), "" to leave it as it is, or refuse.
type transition func(state string) (next string, refuse bool)

// changeStates checks that every instance may make the transition, then
// makes it: all or none, as EC2 does.
func (s *Server) changeStates(ids []string, t transition, verb string) (any, *apiError) {
	found, err := s.instancesByID(ids)
	if err != nil {
		return nil, err
	}
	for _, i := range found {
		if _, refuse := t(i.state); refuse {
			return nil, apiErr("IncorrectInstanceState", "The instance '%s' is not in a state from which it can be %s.", i.id, verb)
		}
	}
	now := s.now()
	var out stateChanges
	for _, i := range found {
		before := i.state
		if next, _ := t(i.state); next != "" {
			i.move(next, now, s.transition)
			if next == stateShuttingDown {
				delete(s.volumes, i.volume) // DeleteOnTermination
			}
		}
		out.Instances = append(out.Instances, stateChangeXML{i.id, stateXML{stateCodes[i.state], i.state}, stateXML{stateCodes[before], before}})
	}
	return out, nil
}

func startInstances(s *Server, p *params) (func() (any, *apiError), *apiError) {
	ids := p.list("InstanceId")
	return func() (any, *apiError) {
		return s.changeStates(ids, func(state string) (string, bool) {
			switch state {
			case stateStopped:
				return statePending, false
			case statePending, stateRunning:
				return "", false
			}
			return "", true
		}, "started")
	}, nil
}

func stopInstances(s *Server, p *params) (func() (any, *apiError), *apiError) {
	ids := p.list("InstanceId")
	if _, err := p.boolean("Force", false); err != nil {
		return nil, err
	}
	return func() (any, *apiError) {
		return s.changeStates(ids, func(state string) (string, bool) {
			switch state {
			case stateRunning:
				return stateStopping, false
			case stateStopping, stateStopped:
				return "", false
			}
			return "", true
		}, "stopped")
	}, nil
}

func terminateInstances(s *Server, p *params) (func() (any, *apiError), *apiError) {
	ids := p.list("InstanceId")
	return func() (any, *apiError) {
		return s.changeStates(ids, func(state string) (string, bool) {
			if state == stateShuttingDown || state == stateTerminated {
				return "", false
			}
			return stateShuttingDown, false
		}, "terminated")
	}, nil
}

// modifyInstanceAttribute changes the instance type of a stopped instance
// (the one attribute served).
func modifyInstanceAttribute(s *Server, p *params) (func() (any, *apiError), *apiError) {
	id, err := p.required("InstanceId")
	if err != nil {
		return nil, err
	}
	itype, err := p.required("InstanceType.Value")
	if err != nil {
		return nil, err
	}
	return func() (any, *apiError) {
		found, err := s.instancesByID([]string{id})
		if err != nil {
			return nil, err
		}
		i := found[0]
		t, ok := s.types[itype]
		switch {
		case !ok:
			return nil, apiErr("InvalidParameterValue", "Invalid value '%s' for InstanceType.", itype)
		case t.Architecture != i.image.Architecture:
			return nil, apiErr("InvalidParameterValue", "The instance type '%s' does not support the architecture '%s' of the instance's AMI.", itype, i.image.Architecture)
		case i.state != stateStopped:
			return nil, apiErr("IncorrectInstanceState", "The instance '%s' is not in the 'stopped' state.", id)
		}
		i.itype = itype
		return ok2, nil
	}, nil
}

// ok2 is <return>true</return>.
var ok2 = ok{Return: true}
