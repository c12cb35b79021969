package ec2test

import (
	"fmt"
	"slices"
	"strings"
)

// filter is one Filter.N of a Describe call.
type filter struct {
	name   string
	values []string
}

// readFilters reads Filter.N.Name and Filter.N.Value.M; a filter the
// server does not know is InvalidParameterValue.
func readFilters(p *params, known func(string) bool) ([]filter, *apiError) {
	var out []filter
	for n := 1; n <= p.groups("Filter"); n++ {
		name, err := p.required(fmt.Sprintf("Filter.%d.Name", n))
		if err != nil {
			return nil, err
		}
		if !known(name) {
			return nil, apiErr("InvalidParameterValue", "The filter '%s' is invalid", name)
		}
		values := p.list(fmt.Sprintf("Filter.%d.Value", n))
		if len(values) == 0 {
			return nil, apiErr("InvalidParameterValue", "The filter '%s' has no values", name)
		}
		out = append(out, filter{name, values})
	}
	return out, nil
}

// instanceFilter reports the filters DescribeInstances knows.
func instanceFilter(name string) bool {
	switch name {
	case "tag-key", "instance-state-name", "subnet-id", "availability-zone", "instance-id":
		return true
	}
	return strings.HasPrefix(name, "tag:")
}

// matches reports whether an instance passes every filter (values of one
// filter are alternatives).
func (i *instance) matches(filters []filter) bool {
	for _, f := range filters {
		if !slices.ContainsFunc(f.values, func(v string) bool { return i.matchesOne(f.name, v) }) {
			return false
		}
	}
	return true
}

func (i *instance) matchesOne(name, v string) bool {
	switch name {
	case "tag-key":
		_, ok := i.tags[v]
		return ok
	case "instance-state-name":
		return i.state == v
	case "subnet-id":
		return i.subnet == v
	case "availability-zone":
		return i.zone == v
	case "instance-id":
		return i.id == v
	}
	val, ok := i.tags[strings.TrimPrefix(name, "tag:")]
	return ok && val == v
}

// page is where a NextToken continues.
type page struct {
	offset int
	query  string // the filters it was made for
}

type describeInstancesResult struct {
	Reservations []reservationXML `xml:"reservationSet>item"`
	NextToken    string           `xml:"nextToken,omitempty"`
}

// describeInstances lists instances by ID, or by filters in pages of
// MaxResults (5 to 1000; all at once without it).
func describeInstances(s *Server, p *params) (func() (any, *apiError), *apiError) {
	ids := p.list("InstanceId")
	filters, err := readFilters(p, instanceFilter)
	if err != nil {
		return nil, err
	}
	limit, perr := p.integer("MaxResults", 0)
	if perr != nil {
		return nil, perr
	}
	token := p.str("NextToken")
	if p.has("MaxResults") && (limit < 5 || limit > 1000) {
		return nil, apiErr("InvalidParameterValue", "Value ( %d ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.", limit)
	}
	if p.has("MaxResults") && len(ids) > 0 {
		return nil, apiErr("InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults")
	}
	return func() (any, *apiError) {
		if len(ids) > 0 {
			found, err := s.instancesByID(ids)
			if err != nil {
				return nil, err
			}
			return s.reservations(found, filters), nil
		}
		return s.describePage(filters, limit, token)
	}, nil
}

// describePage is one page of the instances that pass the filters.
func (s *Server) describePage(filters []filter, limit int, token string) (any, *apiError) {
	query := fmt.Sprint(filters)
	start := 0
	if token != "" {
		pg, ok := s.pageTokens[token]
		if !ok || pg.query != query {
			return nil, apiErr("InvalidParameterValue", "The token '%s' is invalid or was made for other filters", token)
		}
		start = pg.offset
	}
	if limit == 0 {
		limit = len(s.order)
	}
	now := s.now()
	var found []*instance
	next := ""
	for n := start; n < len(s.order); n++ {
		i := s.order[n]
		i.settle(now)
		if !i.matches(filters) {
			continue
		}
		if len(found) == limit {
			next = fmt.Sprintf("page-%s", randomHex(12))
			s.pageTokens[next] = page{offset: n, query: query}
			break
		}
		found = append(found, i)
	}
	res := s.reservations(found, nil)
	res.NextToken = next
	return res, nil
}

// reservations groups instances (that pass filters) by reservation.
func (s *Server) reservations(found []*instance, filters []filter) describeInstancesResult {
	var res describeInstancesResult
	for _, i := range found {
		if !i.matches(filters) {
			continue
		}
		res.Reservations = append(res.Reservations, s.reservationOf(i))
	}
	return res
}

// reservationOf is the reservation of one instance (one per launch here).
func (s *Server) reservationOf(i *instance) reservationXML {
	return reservationXML{ReservationID: i.reservation, OwnerID: ownerID, Instances: []instanceXML{s.xmlOf(i)}}
}
