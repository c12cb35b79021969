package xentest

import (
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
)

// Options shape a server.
type Options struct {
	// Hosts is how many hosts the pool has (xen-01, xen-02, …); 0 means 2.
	Hosts int
	// HostCPUs and HostMemoryMiB are each host's size; 0 means 16 and 65536.
	HostCPUs      int
	HostMemoryMiB int64
	// Username and Password are the one login accepted; "" means root and
	// a made-up password.
	Username, Password string
	// TaskPolls is how many polls of task.get_record an async task stays
	// pending for; 0 means 2.
	TaskPolls int
	// VMs is how many unmanaged running VMs to start with (unmanaged-0000,
	// …), spread over the hosts.
	VMs int
	// Member makes the server a pool member rather than the master: a
	// login answers HOST_IS_SLAVE with MasterAddress.
	Member        bool
	MasterAddress string
}

// Server is a running XenAPI server.
type Server struct {
	URL                string // https://127.0.0.1:PORT
	Username, Password string
	PoolName, PoolUUID string

	opts Options
	http *httptest.Server

	mu          sync.Mutex
	sessions    map[string]bool
	pool        *Pool
	hosts       map[string]*Host
	hostMetrics map[string]*HostMetrics
	srs         map[string]*SR
	networks    map[string]*Network
	vms         map[string]*VM
	vbds        map[string]*VBD
	vdis        map[string]*VDI
	vifs        map[string]*VIF
	tasks       map[string]*task
	inject
}

// inject is what a test asked to go wrong, and what the server saw.
type inject struct {
	faults         map[string][]Fault // by method: the next calls' errors
	noopMigrations int                // pool_migrates that succeed without moving
	ignoreShutdown int                // clean_shutdowns the guest ignores
	calls          map[string]int     // by method, answered or not
	holds          map[string]*hold   // by method: calls kept waiting (Hold)
	unexpected     []string
}

// Fault is an error a method answers with once.
type Fault struct {
	Code   string
	Params []string
}

// Start serves a server over TLS on 127.0.0.1 until Close.
func Start(o Options) *Server {
	s := newServer(o)
	s.http = httptest.NewTLSServer(s)
	s.URL = s.http.URL
	return s
}

// Close stops the server.
func (s *Server) Close() {
	s.mu.Lock()
	for m, h := range s.holds {
		close(h.drop)
		delete(s.holds, m)
	}
	s.mu.Unlock()
	s.http.Close()
}

// CertPEM is the PEM of the server's certificate, which signs itself: the
// CA a client must trust.
func (s *Server) CertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.http.Certificate().Raw})
}

// WriteCA writes CertPEM to dir/xen-ca.pem and returns its path.
func (s *Server) WriteCA(dir string) (string, error) {
	p := filepath.Join(dir, "xen-ca.pem")
	return p, os.WriteFile(p, s.CertPEM(), 0o644)
}

func newServer(o Options) *Server {
	if o.Hosts == 0 {
		o.Hosts = 2
	}
	if o.HostCPUs == 0 {
		o.HostCPUs = 16
	}
	if o.HostMemoryMiB == 0 {
		o.HostMemoryMiB = 65536
	}
	if o.Username == "" {
		o.Username = "root"
	}
	if o.Password == "" {
		o.Password = "pw-" + newUUID()[:8]
	}
	if o.TaskPolls == 0 {
		o.TaskPolls = 2
	}
	s := &Server{
		Username: o.Username, Password: o.Password, opts: o,
		sessions: map[string]bool{}, hosts: map[string]*Host{}, hostMetrics: map[string]*HostMetrics{},
		srs: map[string]*SR{}, networks: map[string]*Network{}, vms: map[string]*VM{},
		vbds: map[string]*VBD{}, vdis: map[string]*VDI{}, vifs: map[string]*VIF{}, tasks: map[string]*task{},
		inject: inject{faults: map[string][]Fault{}, calls: map[string]int{}, holds: map[string]*hold{}},
	}
	s.seed()
	return s
}

// newUUID returns a random UUID in its canonical lower-case spelling.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// newRef returns a new opaque reference.
func newRef() string { return "OpaqueRef:" + newUUID() }
