package gcetest

import (
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
)

// The catalog every server holds.
const (
	DefaultProject = "novacron-test"
	Network        = "default"
	Subnetwork     = "novacron-sub"
	ImageProject   = "debian-cloud"
	Image          = "debian-12-bookworm-v20240611"
	ImageFamily    = "debian-12"
	ImageSizeGB    = 10
	// ImagePath and FamilyPath are the template settings of the image.
	ImagePath  = "projects/" + ImageProject + "/global/images/" + Image
	FamilyPath = "projects/" + ImageProject + "/global/images/family/" + ImageFamily
)

// DefaultZones are the zones of a server whose Options name none.
var DefaultZones = []string{"us-central1-a", "us-central1-b"}

// base is the prefix of self links, as Compute Engine writes them.
const base = "https://www.googleapis.com/compute/v1/"

// Options shape a server.
type Options struct {
	Project string   // default DefaultProject
	Zones   []string // default DefaultZones (all of one region)
	// Instances are unmanaged instances made at start, spread over the
	// zones, named unmanaged-00000 …, without NovaCron's labels.
	Instances int
	// QuotaCPUs, when more than 0, is the project's CPUS quota: an insert
	// that would pass it fails in its operation with QUOTA_EXCEEDED.
	QuotaCPUs int
	// PoolExhausted makes every insert fail in its operation with
	// ZONE_RESOURCE_POOL_EXHAUSTED.
	PoolExhausted bool
}

// Instance is an instance as the server holds it.
type Instance struct {
	ID          uint64
	Zone, Name  string
	MachineType string
	Status      string
	Labels      map[string]string
	Metadata    map[string]string
	Network     string
	Subnetwork  string
	Disk        string // the boot disk's name
	Image       string
	IP          string
}

// Server is a running test server. It is safe for concurrent use.
type Server struct {
	URL      string // http://127.0.0.1:PORT
	Endpoint string // URL + "/compute/v1/", the driver's endpoint setting
	Project  string
	Zones    []string

	srv  *httptest.Server
	opts Options

	mu         sync.Mutex
	instances  map[string]*Instance // by zone/name
	disks      map[string]int       // GB by zone/name
	ops        map[string]*operation
	requestIDs map[string]string // requestId → operation name
	tokens     map[string]bool
	calls      map[string]int
	unexpected []string
	seq        uint64
	loseInsert int
	deleted    []string
}

// Start starts a server.
func Start(o Options) (*Server, error) {
	if o.Project == "" {
		o.Project = DefaultProject
	}
	if len(o.Zones) == 0 {
		o.Zones = DefaultZones
	}
	s := &Server{
		Project: o.Project, Zones: slices.Clone(o.Zones), opts: o,
		instances: map[string]*Instance{}, disks: map[string]int{}, ops: map[string]*operation{},
		requestIDs: map[string]string{}, tokens: map[string]bool{}, calls: map[string]int{},
	}
	for i := range o.Instances {
		zone := o.Zones[i%len(o.Zones)]
		name := fmt.Sprintf("unmanaged-%05d", i)
		s.add(&Instance{Zone: zone, Name: name, MachineType: "e2-medium", Status: "RUNNING",
			Labels: map[string]string{"team": "other"}, Metadata: map[string]string{}, Network: Network, Disk: name, Image: ImagePath}, ImageSizeGB)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s.srv = &httptest.Server{Listener: l, Config: &http.Server{Handler: http.HandlerFunc(s.serve)}}
	s.srv.Start()
	s.URL = s.srv.URL
	s.Endpoint = s.URL + "/compute/v1/"
	return s, nil
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// add stores an instance and its boot disk; s.mu is held or the server
// not yet started.
func (s *Server) add(i *Instance, diskGB int) {
	s.seq++
	i.ID = 1000000000000000000 + s.seq
	i.IP = fmt.Sprintf("10.128.%d.%d", s.seq/250%250, s.seq%250+2)
	s.instances[i.Zone+"/"+i.Name] = i
	s.disks[i.Zone+"/"+i.Disk] = diskGB
}

// Unexpected lists the calls the server refused as unknown.
func (s *Server) Unexpected() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.unexpected)
}

// Calls is how many times the method (e.g. "compute.instances.list") was
// called.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// AllCalls is every method's count.
func (s *Server) AllCalls() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.calls)
}

// Instances are copies of the instances, sorted by zone/name.
func (s *Server) Instances() []Instance {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Instance
	for _, k := range slices.Sorted(maps.Keys(s.instances)) {
		i := *s.instances[k]
		i.Labels, i.Metadata = maps.Clone(i.Labels), maps.Clone(i.Metadata)
		out = append(out, i)
	}
	return out
}

// Managed are the instances that carry NovaCron's marker label.
func (s *Server) Managed() []Instance {
	var out []Instance
	for _, i := range s.Instances() {
		if _, ok := i.Labels["novacron"]; ok {
			out = append(out, i)
		}
	}
	return out
}

// DiskGB is the size of a disk, 0 when it does not exist.
func (s *Server) DiskGB(zone, name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.disks[zone+"/"+name]
}

// Disks counts the disks the server holds.
func (s *Server) Disks() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.disks)
}

// LoseInsertAnswers makes the next n inserts take effect but answer 503,
// as a lost answer looks to a client.
func (s *Server) LoseInsertAnswers(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loseInsert = n
}

// RequestIDs counts the distinct requestIds inserts carried.
func (s *Server) RequestIDs() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requestIDs)
}

// Deleted lists the zone/name of every instance deleted, in order.
func (s *Server) Deleted() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.deleted)
}

// region is the zones' region.
func (s *Server) region() string { z := s.Zones[0]; return z[:strings.LastIndex(z, "-")] }
