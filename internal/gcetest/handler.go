package gcetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
)

// route is one method of the API the server answers.
type route struct {
	method string // HTTP method
	name   string // Compute Engine's name of the method
	path   *regexp.Regexp
	query  []string // query parameters it takes besides alt and prettyPrint
	handle func(s *Server, r *http.Request, m []string) (any, *apiError)
}

const (
	pj  = `projects/([^/]+)`
	seg = `([^/]+)`
)

func p(s string) *regexp.Regexp { return regexp.MustCompile(`^/compute/v1/` + s + `$`) }

var listQuery = []string{"filter", "maxResults", "pageToken", "orderBy", "returnPartialSuccess"}

var routes = []route{
	{"GET", "compute.zones.get", p(pj + `/zones/` + seg), nil, (*Server).getZone},
	{"GET", "compute.networks.get", p(pj + `/global/networks/` + seg), nil, (*Server).getNetwork},
	{"GET", "compute.subnetworks.get", p(pj + `/regions/` + seg + `/subnetworks/` + seg), nil, (*Server).getSubnetwork},
	{"GET", "compute.images.getFromFamily", p(pj + `/global/images/family/` + seg), nil, (*Server).getFamily},
	{"GET", "compute.images.get", p(pj + `/global/images/` + seg), nil, (*Server).getImage},
	{"GET", "compute.machineTypes.get", p(pj + `/zones/` + seg + `/machineTypes/` + seg), nil, (*Server).getMachineType},
	{"GET", "compute.instances.aggregatedList", p(pj + `/aggregated/instances`), append(slices.Clone(listQuery), "includeAllScopes", "serviceProjectNumber"), (*Server).aggregatedList},
	{"GET", "compute.instances.list", p(pj + `/zones/` + seg + `/instances`), listQuery, (*Server).listInstances},
	{"POST", "compute.instances.insert", p(pj + `/zones/` + seg + `/instances`), []string{"requestId"}, (*Server).insert},
	{"GET", "compute.instances.get", p(pj + `/zones/` + seg + `/instances/` + seg), nil, (*Server).getInstance},
	{"DELETE", "compute.instances.delete", p(pj + `/zones/` + seg + `/instances/` + seg), []string{"requestId"}, (*Server).deleteInstance},
	{"POST", "compute.instances.stop", p(pj + `/zones/` + seg + `/instances/` + seg + `/stop`), []string{"requestId"}, (*Server).stop},
	{"POST", "compute.instances.start", p(pj + `/zones/` + seg + `/instances/` + seg + `/start`), []string{"requestId"}, (*Server).start},
	{"POST", "compute.instances.setMachineType", p(pj + `/zones/` + seg + `/instances/` + seg + `/setMachineType`), []string{"requestId"}, (*Server).setMachineType},
	{"POST", "compute.instances.setLabels", p(pj + `/zones/` + seg + `/instances/` + seg + `/setLabels`), []string{"requestId"}, (*Server).setLabels},
	{"GET", "compute.disks.get", p(pj + `/zones/` + seg + `/disks/` + seg), nil, (*Server).getDisk},
	{"POST", "compute.disks.resize", p(pj + `/zones/` + seg + `/disks/` + seg + `/resize`), []string{"requestId"}, (*Server).resize},
	{"GET", "compute.zoneOperations.get", p(pj + `/zones/` + seg + `/operations/` + seg), nil, (*Server).getOperation},
}

// serve answers the token endpoint and the API; anything else is refused
// loudly and recorded.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/token" {
		s.token(w, r)
		return
	}
	rt, m := match(r)
	if rt == nil {
		writeError(w, s.unknown("%s %s: no Compute Engine method the test server knows", r.Method, r.URL.Path))
		return
	}
	if e := s.authorized(r); e != nil {
		writeError(w, e)
		return
	}
	for k := range r.URL.Query() {
		if k != "alt" && k != "prettyPrint" && !slices.Contains(rt.query, k) {
			writeError(w, s.unknown("%s: query parameter %q is not one the test server knows", rt.name, k))
			return
		}
	}
	if a := r.URL.Query().Get("alt"); a != "" && a != "json" {
		writeError(w, s.unknown("%s: alt=%s, the test server answers json only", rt.name, a))
		return
	}
	s.mu.Lock()
	s.calls[rt.name]++
	s.mu.Unlock()
	if m[1] != s.Project && !(m[1] == ImageProject && strings.HasPrefix(rt.name, "compute.images.")) {
		writeError(w, notFound("projects/"+m[1]))
		return
	}
	out, e := rt.handle(s, r, m)
	if e != nil {
		writeError(w, e)
		return
	}
	writeJSON(w, out)
}

func match(r *http.Request) (*route, []string) {
	for i := range routes {
		rt := &routes[i]
		if rt.method != r.Method {
			continue
		}
		if m := rt.path.FindStringSubmatch(r.URL.Path); m != nil {
			return rt, m
		}
	}
	return nil, nil
}

// unknown records and answers a call the server does not know.
func (s *Server) unknown(format string, args ...any) *apiError {
	msg := fmt.Sprintf(format, args...)
	s.mu.Lock()
	s.unexpected = append(s.unexpected, msg)
	s.mu.Unlock()
	return errorf(http.StatusBadRequest, "unknownMethod", "gcetest: %s", msg)
}

// decode reads a JSON body strictly: a field the server does not know is
// refused loudly.
func (s *Server) decode(r *http.Request, method string, v any) *apiError {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return errorf(http.StatusBadRequest, "parseError", "reading the body: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if strings.Contains(err.Error(), "unknown field") {
			return s.unknown("%s: %v", method, err)
		}
		return errorf(http.StatusBadRequest, "parseError", "Invalid JSON payload received. %v", err)
	}
	return nil
}
