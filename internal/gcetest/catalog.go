package gcetest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
)

// machineType is one machine type every zone offers.
type machineType struct {
	cpu int
	mib int64
}

// machineTypes are the types the server offers, in every zone.
var machineTypes = map[string]machineType{
	"e2-micro": {2, 1024}, "e2-small": {2, 2048}, "e2-medium": {2, 4096},
	"e2-standard-2": {2, 8192}, "e2-standard-4": {4, 16384}, "e2-standard-8": {8, 32768},
	"e2-standard-16": {16, 65536}, "e2-standard-32": {32, 131072},
	"e2-highcpu-2": {2, 2048}, "e2-highcpu-4": {4, 4096}, "e2-highcpu-8": {8, 8192},
	"e2-highmem-2": {2, 16384}, "e2-highmem-4": {4, 32768},
	"n2-standard-2": {2, 8192}, "n2-standard-4": {4, 16384}, "n2-standard-8": {8, 32768},
	"n2d-standard-2": {2, 8192}, "n2d-standard-4": {4, 16384},
	"c3-standard-4": {4, 16384}, "c3-standard-8": {8, 32768},
}

func (s *Server) zoneLink(z string) string { return base + "projects/" + s.Project + "/zones/" + z }

func (s *Server) knownZone(z string) *apiError {
	if !slices.Contains(s.Zones, z) {
		return notFound("projects/" + s.Project + "/zones/" + z)
	}
	return nil
}

func (s *Server) getZone(r *http.Request, m []string) (any, *apiError) {
	if e := s.knownZone(m[2]); e != nil {
		return nil, e
	}
	return map[string]any{"kind": "compute#zone", "name": m[2], "status": "UP",
		"region": base + "projects/" + s.Project + "/regions/" + s.region(), "selfLink": s.zoneLink(m[2])}, nil
}

func (s *Server) getNetwork(r *http.Request, m []string) (any, *apiError) {
	if m[2] != Network {
		return nil, notFound("projects/" + s.Project + "/global/networks/" + m[2])
	}
	return map[string]any{"kind": "compute#network", "name": m[2], "autoCreateSubnetworks": true,
		"selfLink": base + "projects/" + s.Project + "/global/networks/" + m[2]}, nil
}

func (s *Server) getSubnetwork(r *http.Request, m []string) (any, *apiError) {
	if m[2] != s.region() || m[3] != Subnetwork {
		return nil, notFound("projects/" + s.Project + "/regions/" + m[2] + "/subnetworks/" + m[3])
	}
	return map[string]any{"kind": "compute#subnetwork", "name": m[3], "region": m[2], "ipCidrRange": "10.128.0.0/16",
		"network":  base + "projects/" + s.Project + "/global/networks/" + Network,
		"selfLink": base + "projects/" + s.Project + "/regions/" + m[2] + "/subnetworks/" + m[3]}, nil
}

func imageJSON() map[string]any {
	return map[string]any{"kind": "compute#image", "name": Image, "family": ImageFamily, "status": "READY",
		"diskSizeGb": strconv.Itoa(ImageSizeGB), "selfLink": base + ImagePath}
}

func (s *Server) getImage(r *http.Request, m []string) (any, *apiError) {
	if m[1] != ImageProject || m[2] != Image {
		return nil, notFound("projects/" + m[1] + "/global/images/" + m[2])
	}
	return imageJSON(), nil
}

func (s *Server) getFamily(r *http.Request, m []string) (any, *apiError) {
	if m[1] != ImageProject || m[2] != ImageFamily {
		return nil, notFound("projects/" + m[1] + "/global/images/family/" + m[2])
	}
	return imageJSON(), nil
}

func (s *Server) getMachineType(r *http.Request, m []string) (any, *apiError) {
	if e := s.knownZone(m[2]); e != nil {
		return nil, e
	}
	t, ok := machineTypes[m[3]]
	if !ok {
		return nil, notFound(fmt.Sprintf("projects/%s/zones/%s/machineTypes/%s", s.Project, m[2], m[3]))
	}
	return map[string]any{"kind": "compute#machineType", "name": m[3], "zone": m[2], "guestCpus": t.cpu, "memoryMb": t.mib,
		"selfLink": s.zoneLink(m[2]) + "/machineTypes/" + m[3]}, nil
}

func (s *Server) getDisk(r *http.Request, m []string) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	gb, ok := s.disks[m[2]+"/"+m[3]]
	if !ok {
		return nil, notFound(fmt.Sprintf("projects/%s/zones/%s/disks/%s", s.Project, m[2], m[3]))
	}
	return map[string]any{"kind": "compute#disk", "name": m[3], "sizeGb": strconv.Itoa(gb), "status": "READY",
		"selfLink": s.zoneLink(m[2]) + "/disks/" + m[3]}, nil
}

// resize grows a disk (Compute Engine never shrinks one).
func (s *Server) resize(r *http.Request, m []string) (any, *apiError) {
	var req wireResize
	if e := s.decode(r, "compute.disks.resize", &req); e != nil {
		return nil, e
	}
	gb, err := strconv.Atoi(req.SizeGb)
	if err != nil {
		return nil, errorf(http.StatusBadRequest, "invalid", "Invalid value for field 'sizeGb': '%s'.", req.SizeGb)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := m[2] + "/" + m[3]
	cur, ok := s.disks[key]
	switch {
	case !ok:
		return nil, notFound(fmt.Sprintf("projects/%s/zones/%s/disks/%s", s.Project, m[2], m[3]))
	case gb <= cur:
		return nil, errorf(http.StatusBadRequest, "invalid", "Invalid value for field 'sizeGb': '%d'. New disk size '%d' GB must be larger than existing size '%d' GB.", gb, gb, cur)
	}
	return s.newOp(m[2], "resize", s.zoneLink(m[2])+"/disks/"+m[3], func() *wireOpError {
		if _, ok := s.disks[key]; ok {
			s.disks[key] = gb
		}
		return nil
	}), nil
}
