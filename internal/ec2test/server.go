package ec2test

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"sync"
	"time"
)

// Options shape a server.
type Options struct {
	// Region is the one region served; "" means us-east-1.
	Region string
	// AccessKeyID and SecretAccessKey are the one credential accepted;
	// "" makes them up.
	AccessKeyID, SecretAccessKey string
	// Transition is how long pending, stopping and shutting-down last;
	// 0 means 50 ms.
	Transition time.Duration
	// Instances is how many unmanaged running instances to start with,
	// named unmanaged-0000, unmanaged-0001, … (t3.micro, ImageX86, spread
	// over the zones).
	Instances int
	// Listen is the address to serve on; "" means 127.0.0.1 on a free port.
	Listen string
}

// Server is a running EC2 API server.
type Server struct {
	URL                          string // http://HOST:PORT
	Region                       string
	AccessKeyID, SecretAccessKey string

	transition time.Duration
	http       *http.Server
	done       chan struct{} // closed when Serve returns

	mu         sync.Mutex
	seq        int
	now        func() time.Time
	images     map[string]Image
	types      map[string]InstanceType
	zones      []string
	subnets    map[string]string // subnet → zone
	instances  map[string]*instance
	order      []*instance // in launch order
	volumes    map[string]*volume
	tokens     map[string]*launch // RunInstances by ClientToken
	pageTokens map[string]page
	inject
}

// inject is what a test asked to go wrong.
type inject struct {
	throttleUntil time.Time
	throttled     int
	delays        map[string][]time.Duration // by action: the next answers' delays
	faults        map[string][]Fault         // by action: the next answers' errors
	calls         map[string]int             // by action, answered or not
}

// Start serves a server until Close.
func Start(o Options) (*Server, error) {
	s := newServer(o)
	addr := o.Listen
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("ec2test: cannot listen on %s: %w", addr, err)
	}
	s.URL = "http://" + l.Addr().String()
	s.http = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		s.http.Serve(l)
	}()
	return s, nil
}

// newServer makes a server's state.
func newServer(o Options) *Server {
	s := &Server{
		Region: o.Region, AccessKeyID: o.AccessKeyID, SecretAccessKey: o.SecretAccessKey, transition: o.Transition,
		seq: randomStart(), now: time.Now,
		images: map[string]Image{}, types: map[string]InstanceType{},
		instances: map[string]*instance{}, volumes: map[string]*volume{},
		tokens: map[string]*launch{}, pageTokens: map[string]page{},
		inject: inject{delays: map[string][]time.Duration{}, faults: map[string][]Fault{}, calls: map[string]int{}},
	}
	if s.Region == "" {
		s.Region = "us-east-1"
	}
	if s.AccessKeyID == "" {
		s.AccessKeyID = "AKIA" + randomHex(8)
	}
	if s.SecretAccessKey == "" {
		s.SecretAccessKey = randomHex(20)
	}
	if s.transition == 0 {
		s.transition = 50 * time.Millisecond
	}
	for _, im := range defaultImages() {
		s.images[im.ID] = im
	}
	for _, t := range defaultTypes() {
		s.types[t.Name] = t
	}
	s.zones, s.subnets = zones(s.Region), subnetZones(s.Region)
	s.seed(o.Instances)
	return s
}

// randomStart is where a server's ID counter starts: IDs of two servers
// differ.
func randomStart() int {
	n, _ := rand.Int(rand.Reader, big.NewInt(1<<40))
	return int(n.Int64()) << 8
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Close stops serving.
func (s *Server) Close() {
	if s.http != nil {
		s.http.Close()
		<-s.done
	}
}

// Env is the environment that points the AWS SDK (and so NovaCron's ec2
// driver) at the server: its endpoint, region and credentials, no
// instance-metadata lookups, and no shared config or credentials files.
func (s *Server) Env() []string {
	return []string{
		"AWS_ENDPOINT_URL_EC2=" + s.URL,
		"AWS_REGION=" + s.Region,
		"AWS_ACCESS_KEY_ID=" + s.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY=" + s.SecretAccessKey,
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=" + noFile,
		"AWS_SHARED_CREDENTIALS_FILE=" + noFile,
	}
}

// noFile is a path where no shared config file is.
const noFile = "/nonexistent/novacron-ec2test"

// Throttle answers every call with RequestLimitExceeded for d.
func (s *Server) Throttle(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.throttleUntil = s.now().Add(d)
}

// Throttled is how many calls were answered RequestLimitExceeded.
func (s *Server) Throttled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.throttled
}

// Delay holds back the answers to the next n calls of action by d each:
// the call does its work at once, and the client hears of it late.
func (s *Server) Delay(action string, d time.Duration, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.delays[action] = append(s.delays[action], d)
	}
}

// Fail answers the next n calls of action with the error f, doing nothing.
func (s *Server) Fail(action string, f Fault, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults[action] = append(s.faults[action], f)
	}
}

// Calls is how many calls of action the server received.
func (s *Server) Calls(action string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[action]
}

// Instances lists every instance, terminated ones too, in launch order.
func (s *Server) Instances() []Instance {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	out := make([]Instance, 0, len(s.order))
	for _, i := range s.order {
		i.settle(now)
		out = append(out, s.snapshot(i))
	}
	return out
}

// Live lists the instances that are not terminated or shutting down.
func (s *Server) Live() []Instance {
	var out []Instance
	for _, i := range s.Instances() {
		if i.State != stateTerminated && i.State != stateShuttingDown {
			out = append(out, i)
		}
	}
	return out
}

// SetType changes an instance's type behind a driver's back, whatever
// its state (as someone with console access might, stopping it first).
func (s *Server) SetType(id, itype string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.instances[id]
	if i == nil {
		return errors.New("ec2test: no instance " + id)
	}
	i.itype = itype
	return nil
}
