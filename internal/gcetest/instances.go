package gcetest

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

var (
	nameRe       = regexp.MustCompile(`^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$`)
	labelKeyRe   = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,62}$`)
	labelValueRe = regexp.MustCompile(`^[a-z0-9_-]{0,63}$`)
	uuidRe       = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

func (s *Server) instanceLink(zone, name string) string {
	return s.zoneLink(zone) + "/instances/" + name
}

// wire renders an instance; s.mu is held.
func (s *Server) wire(i *Instance) wireInstance {
	w := wireInstance{
		Kind: "compute#instance", ID: strconv.FormatUint(i.ID, 10), Name: i.Name, Zone: s.zoneLink(i.Zone),
		MachineType: s.zoneLink(i.Zone) + "/machineTypes/" + i.MachineType, Status: i.Status,
		Labels: maps.Clone(i.Labels), LabelFingerprint: fingerprint(i.Labels),
		Disks: []wireDisk{{Kind: "compute#attachedDisk", Boot: true, AutoDelete: true, Type: "PERSISTENT", Mode: "READ_WRITE",
			DeviceName: "persistent-disk-0", Source: s.zoneLink(i.Zone) + "/disks/" + i.Disk, DiskSizeGb: strconv.Itoa(s.disks[i.Zone+"/"+i.Disk])}},
		NetworkInterfaces: []wireNIC{{Name: "nic0", Network: base + "projects/" + s.Project + "/global/networks/" + i.Network, NetworkIP: i.IP}},
		CreationTimestamp: "2026-12-01T00:00:00.000-08:00", SelfLink: s.instanceLink(i.Zone, i.Name),
		Metadata: &wireMetadata{Kind: "compute#metadata", Fingerprint: fingerprint(i.Metadata)},
	}
	if i.Subnetwork != "" {
		w.NetworkInterfaces[0].Subnetwork = base + "projects/" + s.Project + "/regions/" + s.region() + "/subnetworks/" + i.Subnetwork
	}
	for _, k := range slices.Sorted(maps.Keys(i.Metadata)) {
		v := i.Metadata[k]
		w.Metadata.Items = append(w.Metadata.Items, wireMetaItem{Key: k, Value: &v})
	}
	return w
}

// fingerprint is a digest of a map, as Compute Engine's fingerprints are.
func fingerprint(m map[string]string) string {
	h := sha256.New()
	for _, k := range slices.Sorted(maps.Keys(m)) {
		fmt.Fprintf(h, "%q=%q;", k, m[k])
	}
	return base64.StdEncoding.EncodeToString(h.Sum(nil)[:8])
}

// lookup finds an instance of a route's zone and name; s.mu is held.
func (s *Server) lookup(m []string) (*Instance, *apiError) {
	if e := s.knownZone(m[2]); e != nil {
		return nil, e
	}
	i, ok := s.instances[m[2]+"/"+m[3]]
	if !ok {
		return nil, notFound(fmt.Sprintf("projects/%s/zones/%s/instances/%s", s.Project, m[2], m[3]))
	}
	return i, nil
}

// withInstance answers a request on the instance its route names with
// what act makes of it, under s.mu.
func (s *Server) withInstance(m []string, act func(i *Instance) (any, *apiError)) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, e := s.lookup(m)
	if e != nil {
		return nil, e
	}
	return act(i)
}

// instanceOp starts an operation of kind on instance i, effect made at
// DONE; s.mu is held.
func (s *Server) instanceOp(i *Instance, kind string, effect func()) (any, *apiError) {
	return s.newOp(i.Zone, kind, s.instanceLink(i.Zone, i.Name), func() *wireOpError {
		effect()
		return nil
	}), nil
}

func (s *Server) getInstance(r *http.Request, m []string) (any, *apiError) {
	return s.withInstance(m, func(i *Instance) (any, *apiError) { return s.wire(i), nil })
}

// checkLabels applies Compute Engine's label rules.
func checkLabels(labels map[string]string) *apiError {
	if len(labels) > 64 {
		return errorf(http.StatusBadRequest, "invalid", "Invalid value for field 'resource.labels': %d labels. Resources may have at most 64 labels.", len(labels))
	}
	for k, v := range labels {
		if !labelKeyRe.MatchString(k) || !labelValueRe.MatchString(v) {
			return errorf(http.StatusBadRequest, "invalid", "Invalid value for field 'resource.labels': '%s'. Label keys must start with a lowercase letter and keys and values may contain only lowercase letters, digits, '_' and '-', at most 63 characters.", k)
		}
	}
	return nil
}

// partial is the part of a URL after the project: zones/Z/machineTypes/T
// of https://…/projects/P/zones/Z/machineTypes/T.
func partial(url string) string {
	rest, ok := strings.CutPrefix(url, "projects/")
	if !ok {
		_, rest, ok = strings.Cut(url, "/projects/")
	}
	if !ok {
		return url
	}
	_, after, _ := strings.Cut(rest, "/")
	return after
}

// insert checks an instance body and starts its operation. The requestId
// makes it idempotent: the same one answers the same operation.
func (s *Server) insert(r *http.Request, m []string) (any, *apiError) {
	zone := m[2]
	var in wireInstance
	if e := s.decode(r, "compute.instances.insert", &in); e != nil {
		return nil, e
	}
	reqID := r.URL.Query().Get("requestId")
	if reqID != "" && !uuidRe.MatchString(reqID) {
		return nil, errorf(http.StatusBadRequest, "invalid", "Invalid value for field 'requestId': '%s'. The request id must be a valid UUID.", reqID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.knownZone(zone); e != nil {
		return nil, e
	}
	if name, ok := s.requestIDs[reqID]; ok && reqID != "" {
		return s.ops[zone+"/"+name].wire, nil
	}
	i, diskGB, e := s.check(zone, in)
	if e != nil {
		return nil, e
	}
	cpus := machineTypes[i.MachineType].cpu
	quota := s.opts.QuotaCPUs > 0 && s.usedCPUs()+cpus > s.opts.QuotaCPUs
	if !quota && !s.opts.PoolExhausted {
		i.Status = "PROVISIONING"
		s.add(i, diskGB)
	}
	op := s.newOp(zone, "insert", s.instanceLink(zone, i.Name), func() *wireOpError {
		switch {
		case quota:
			return &wireOpError{Code: "QUOTA_EXCEEDED", Message: fmt.Sprintf("Quota 'CPUS' exceeded.  Limit: %d.0 in region %s.", s.opts.QuotaCPUs, s.region())}
		case s.opts.PoolExhausted:
			return &wireOpError{Code: "ZONE_RESOURCE_POOL_EXHAUSTED", Message: fmt.Sprintf("The zone 'projects/%s/zones/%s' does not have enough resources available to fulfill the request.  Try a different zone, or try again later.", s.Project, zone)}
		}
		if cur := s.instances[zone+"/"+i.Name]; cur == i && cur.Status == "PROVISIONING" {
			cur.Status = "RUNNING"
		}
		return nil
	})
	if reqID != "" {
		s.requestIDs[reqID] = op.Name
	}
	if s.loseInsert > 0 {
		s.loseInsert--
		return nil, errorf(http.StatusServiceUnavailable, "backendError", "The service is currently unavailable (gcetest: the insert was made, its answer lost).")
	}
	return op, nil
}

// usedCPUs counts the vCPUs of the instances; s.mu is held.
func (s *Server) usedCPUs() int {
	n := 0
	for _, i := range s.instances {
		n += machineTypes[i.MachineType].cpu
	}
	return n
}

// check validates an insert's body as Compute Engine does; s.mu is held.
func (s *Server) check(zone string, in wireInstance) (*Instance, int, *apiError) {
	bad := func(field, format string, args ...any) (*Instance, int, *apiError) {
		return nil, 0, errorf(http.StatusBadRequest, "invalid", "Invalid value for field '%s': %s", field, fmt.Sprintf(format, args...))
	}
	if !nameRe.MatchString(in.Name) {
		return bad("resource.name", "'%s'. Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'", in.Name)
	}
	if _, ok := s.instances[zone+"/"+in.Name]; ok {
		return nil, 0, errorf(http.StatusConflict, "alreadyExists", "The resource 'projects/%s/zones/%s/instances/%s' already exists", s.Project, zone, in.Name)
	}
	mt := partial(in.MachineType)
	if path.Dir(mt) != "zones/"+zone+"/machineTypes" {
		return bad("resource.machineType", "'%s'. The machine type must be of zone %s.", in.MachineType, zone)
	}
	if _, ok := machineTypes[path.Base(mt)]; !ok {
		return bad("resource.machineType", "'%s'. Machine type with name '%s' does not exist in zone '%s'.", in.MachineType, path.Base(mt), zone)
	}
	if e := checkLabels(in.Labels); e != nil {
		return nil, 0, e
	}
	if len(in.Disks) != 1 || !in.Disks[0].Boot || in.Disks[0].InitializeParams == nil {
		return bad("resource.disks", "the test server takes one boot disk made from an image")
	}
	ip := in.Disks[0].InitializeParams
	if partial(ip.SourceImage) != "global/images/"+Image && ip.SourceImage != ImagePath {
		return bad("resource.disks[0].initializeParams.sourceImage", "'%s'. The referenced image resource cannot be found.", ip.SourceImage)
	}
	gb, err := strconv.Atoi(ip.DiskSizeGb)
	if err != nil || gb < ImageSizeGB {
		return bad("resource.disks[0].initializeParams.diskSizeGb", "'%s'. Requested disk size cannot be smaller than the image size (%d GB)", ip.DiskSizeGb, ImageSizeGB)
	}
	disk := ip.DiskName
	if disk == "" {
		disk = in.Name
	}
	if _, ok := s.disks[zone+"/"+disk]; ok {
		return nil, 0, errorf(http.StatusConflict, "alreadyExists", "The resource 'projects/%s/zones/%s/disks/%s' already exists", s.Project, zone, disk)
	}
	if len(in.NetworkInterfaces) != 1 {
		return bad("resource.networkInterfaces", "the test server takes one network interface")
	}
	nic := in.NetworkInterfaces[0]
	if partial(nic.Network) != "global/networks/"+Network {
		return bad("resource.networkInterfaces[0].network", "'%s'. The referenced network resource cannot be found.", nic.Network)
	}
	sub := ""
	if nic.Subnetwork != "" {
		if partial(nic.Subnetwork) != "regions/"+s.region()+"/subnetworks/"+Subnetwork {
			return bad("resource.networkInterfaces[0].subnetwork", "'%s'. The referenced subnetwork resource cannot be found.", nic.Subnetwork)
		}
		sub = Subnetwork
	}
	meta := map[string]string{}
	if in.Metadata != nil {
		for _, it := range in.Metadata.Items {
			if it.Value != nil {
				meta[it.Key] = *it.Value
			}
		}
	}
	return &Instance{Zone: zone, Name: in.Name, MachineType: path.Base(mt), Labels: maps.Clone(in.Labels), Metadata: meta,
		Network: Network, Subnetwork: sub, Disk: disk, Image: ImagePath}, gb, nil
}

// deleteInstance deletes an instance and its boot disk (autoDelete).
func (s *Server) deleteInstance(r *http.Request, m []string) (any, *apiError) {
	return s.withInstance(m, func(i *Instance) (any, *apiError) {
		i.Status = "STOPPING"
		key := i.Zone + "/" + i.Name
		return s.instanceOp(i, "delete", func() {
			if s.instances[key] == i {
				delete(s.instances, key)
				delete(s.disks, i.Zone+"/"+i.Disk)
				s.deleted = append(s.deleted, key)
			}
		})
	})
}

func (s *Server) stop(r *http.Request, m []string) (any, *apiError) {
	return s.withInstance(m, func(i *Instance) (any, *apiError) {
		if i.Status != "TERMINATED" {
			i.Status = "STOPPING"
		}
		return s.instanceOp(i, "stop", func() { i.Status = "TERMINATED" })
	})
}

func (s *Server) start(r *http.Request, m []string) (any, *apiError) {
	return s.withInstance(m, func(i *Instance) (any, *apiError) {
		if i.Status == "STOPPING" {
			return nil, errorf(http.StatusBadRequest, "resourceNotReady", "The resource '%s' is not ready", s.instanceLink(i.Zone, i.Name))
		}
		if i.Status == "TERMINATED" {
			i.Status = "STAGING"
		}
		return s.instanceOp(i, "start", func() { i.Status = "RUNNING" })
	})
}

// setMachineType changes a stopped instance's machine type.
func (s *Server) setMachineType(r *http.Request, m []string) (any, *apiError) {
	var req wireSetMachineType
	if e := s.decode(r, "compute.instances.setMachineType", &req); e != nil {
		return nil, e
	}
	return s.withInstance(m, func(i *Instance) (any, *apiError) {
		mt := partial(req.MachineType)
		if _, ok := machineTypes[path.Base(mt)]; !ok || path.Dir(mt) != "zones/"+i.Zone+"/machineTypes" {
			return nil, errorf(http.StatusBadRequest, "invalid", "Invalid value for field 'machineType': '%s'. Machine type with name '%s' does not exist in zone '%s'.", req.MachineType, path.Base(mt), i.Zone)
		}
		if i.Status != "TERMINATED" {
			return nil, errorf(http.StatusBadRequest, "invalid", "The resource '%s' is in status %s: the machine type can only be changed when the instance is stopped (TERMINATED).", s.instanceLink(i.Zone, i.Name), i.Status)
		}
		return s.instanceOp(i, "setMachineType", func() { i.MachineType = path.Base(mt) })
	})
}

// setLabels replaces the labels when the fingerprint is the current one.
func (s *Server) setLabels(r *http.Request, m []string) (any, *apiError) {
	var req wireSetLabels
	if e := s.decode(r, "compute.instances.setLabels", &req); e != nil {
		return nil, e
	}
	if e := checkLabels(req.Labels); e != nil {
		return nil, e
	}
	return s.withInstance(m, func(i *Instance) (any, *apiError) {
		if req.LabelFingerprint != fingerprint(i.Labels) {
			return nil, errorf(http.StatusPreconditionFailed, "conditionNotMet", "Labels fingerprint either invalid or resource labels have changed")
		}
		i.Labels = maps.Clone(req.Labels) // the fingerprint changes at once, as Compute Engine's does
		return s.instanceOp(i, "setLabels", func() {})
	})
}
