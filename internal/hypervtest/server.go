package hypervtest

import (
	"context"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// The model's defaults.
const (
	// Template is the default template VHDX, 1 GiB.
	Template = `C:\Templates\tiny.vhdx`
	// Switch is every default host's virtual switch.
	Switch = "LAN"
)

// Options configure a server.
type Options struct {
	User, Password string // default "novacron" and a random password
	// Hosts default to HV1 (the endpoint) and HV2, 16 CPUs and 64 GiB each.
	Hosts []HostSpec
	// Templates are VHDX files by path, with their size in bytes; default
	// Template of 1 GiB.
	Templates map[string]int64
	// VMs are unmanaged VMs made at start, spread over the hosts.
	VMs int
	// HTTP serves plain http instead of https.
	HTTP bool
	// RuntimeMemoryResize: the guests take runtime memory resize, so
	// Set-VMMemory grows the memory of a running VM (as on a generation 2
	// VM with a Windows Server 2016 or hv_balloon guest); without it the
	// model refuses, as Hyper-V does for a guest without support.
	RuntimeMemoryResize bool
	// NoNTLM and NoBasic turn an authentication scheme off; by default
	// the server offers both (Negotiate with NTLM, and Basic).
	NoNTLM, NoBasic bool
	// ReceiveWait is how long a Receive waits for output before it answers
	// with an OperationTimeout fault, as WinRM does; default 50ms.
	ReceiveWait time.Duration
}

// Server is a running WS-Management test server.
type Server struct {
	// URL is the endpoint, https://127.0.0.1:PORT/wsman.
	URL string
	// CAFile is a PEM file of the certificate the server presents.
	CAFile         string
	User, Password string

	opts Options
	hs   *httptest.Server
	dir  string
	wg   sync.WaitGroup // running scripts
	stop context.CancelFunc
	ctx  context.Context

	mu         sync.Mutex
	m          model
	shells     map[string]*shell
	actions    map[string]int
	scripts    map[string]int
	unexpected []string
	hang       string
	noMove     bool
}

// Start starts a server on 127.0.0.1.
func Start(o Options) (*Server, error) {
	o = withDefaults(o)
	s := &Server{User: o.User, Password: o.Password, opts: o, shells: map[string]*shell{},
		actions: map[string]int{}, scripts: map[string]int{}}
	s.ctx, s.stop = context.WithCancel(context.Background())
	s.m = newModel(o)
	s.hs = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.hs.Config.ErrorLog = log.New(io.Discard, "", 0) // refused TLS handshakes are the tests' point
	s.hs.Config.ConnContext = connContext
	if o.HTTP {
		s.hs.Start()
		s.URL = s.hs.URL + "/wsman"
		return s, nil
	}
	s.hs.StartTLS()
	s.URL = s.hs.URL + "/wsman"
	dir, err := os.MkdirTemp("", "hypervtest-")
	if err != nil {
		s.Close()
		return nil, err
	}
	s.dir = dir
	s.CAFile = filepath.Join(dir, "ca.pem")
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.hs.Certificate().Raw})
	if err := os.WriteFile(s.CAFile, cert, 0o600); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func withDefaults(o Options) Options {
	if o.User == "" {
		o.User = "novacron"
	}
	if o.Password == "" {
		o.Password = "pw-" + rand.Text()
	}
	if o.Hosts == nil {
		o.Hosts = []HostSpec{
			{Name: "HV1", CPU: 16, MemoryMiB: 64 << 10, Switches: []string{Switch}},
			{Name: "HV2", CPU: 16, MemoryMiB: 64 << 10, Switches: []string{Switch}},
		}
	}
	if o.Templates == nil {
		o.Templates = map[string]int64{Template: gib}
	}
	if o.ReceiveWait == 0 {
		o.ReceiveWait = 50 * time.Millisecond
	}
	return o
}

// newModel makes the hosts, templates and unmanaged VMs.
func newModel(o Options) model {
	m := model{vms: map[string]*VM{}, vhds: map[string]*VHD{}, templates: map[string]bool{}}
	for _, h := range o.Hosts {
		m.hosts = append(m.hosts, &host{HostSpec: h, vmPath: `C:\ProgramData\Microsoft\Windows\Hyper-V`, vhdPath: `C:\Users\Public\Documents\Hyper-V\Virtual Hard Disks`})
	}
	for p, size := range o.Templates {
		m.vhds[strings.ToLower(p)] = &VHD{Path: p, Size: size}
		m.templates[strings.ToLower(p)] = true
	}
	for i := range o.VMs {
		h := m.hosts[i%len(m.hosts)]
		id := newGUID()
		disk := fmt.Sprintf(`D:\Other\vm-%04d\disk.vhdx`, i)
		m.vhds[strings.ToLower(disk)] = &VHD{Path: disk, Size: 40 * gib}
		m.addVM(&VM{ID: id, Name: fmt.Sprintf("other-%04d", i), Host: h.Name, CPU: 2, MemBytes: 2 * gib,
			State: "Off", Notes: "a VM of someone else's", Path: `D:\Other\vm-` + fmt.Sprint(i), Disks: []string{disk}})
	}
	return m
}

// newGUID is a random version 4 GUID in lower case, as Hyper-V prints a VMId.
func newGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// Close stops the scripts still running and the server.
func (s *Server) Close() {
	s.stop()
	s.hs.Close()
	s.wg.Wait()
	if s.dir != "" {
		os.RemoveAll(s.dir)
	}
}

// Unexpected lists what the server refused as unknown or malformed: an
// action, a resource, a script, a command line. A test fails on any.
func (s *Server) Unexpected() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.unexpected)
}

func (s *Server) refuse(format string, args ...any) string {
	msg := fmt.Sprintf(format, args...)
	s.mu.Lock()
	s.unexpected = append(s.unexpected, msg)
	s.mu.Unlock()
	return msg
}

// Requests is how many WS-Management requests with the action (its last
// path element: Create, Command, Receive, Signal, Delete) the server took.
func (s *Server) Requests(action string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.actions[action]
}

// Scripts is how many times the named script (inventory, create, …) ran.
func (s *Server) Scripts(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.scripts[name]
}

// Hang makes scripts block in the step whose line starts with step (as
// "2/3 Move-VM") until the client signals the command; "" ends it.
func (s *Server) Hang(step string) {
	s.mu.Lock()
	s.hang = step
	s.mu.Unlock()
}

// NoMove makes Move-VM report success without moving the VM.
func (s *Server) NoMove(on bool) {
	s.mu.Lock()
	s.noMove = on
	s.mu.Unlock()
}

// VMs returns a copy of the model's VMs in creation order.
func (s *Server) VMs() []VM {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]VM, 0, len(s.m.order))
	for _, id := range s.m.order {
		vm := *s.m.vms[id]
		vm.Disks = slices.Clone(vm.Disks)
		out = append(out, vm)
	}
	return out
}

// Files lists the paths of the VHDX files, templates included, sorted.
func (s *Server) Files() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, f := range s.m.vhds {
		out = append(out, f.Path)
	}
	slices.Sort(out)
	return out
}

// VHD returns a copy of the VHDX file at path.
func (s *Server) VHD(path string) (VHD, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.m.vhds[strings.ToLower(path)]
	if f == nil {
		return VHD{}, false
	}
	return *f, true
}

// SetVM changes a VM behind the driver's back (a user editing Notes, a
// guest that ignores shutdown).
func (s *Server) SetVM(id string, f func(*VM)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	vm := s.m.vms[id]
	if vm != nil {
		f(vm)
	}
	return vm != nil
}
