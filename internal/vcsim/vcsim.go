package vcsim

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// The inventory a simulator holds, by name.
const (
	Datacenter = "DC0"
	Cluster    = "DC0_C0"
	Datastore  = "LocalDS_0"
	Network    = "DC0_DVPG0"
	// Template is a VM template (1 vCPU, 1 GiB, a 10 GiB disk, one NIC on
	// Network) with a snapshot, so that linked clones work.
	Template = "novacron-template"
	// User is the simulator's one user; its password is made at start.
	User = "novacron"
)

// HostName is the name of the cluster's i-th host, from 0.
func HostName(i int) string { return fmt.Sprintf("%s_H%d", Cluster, i) }

// UnmanagedName is the name of the i-th VM Options.VMs asks for, from 0.
func UnmanagedName(i int) string { return fmt.Sprintf("unmanaged-%04d", i) }

// Options shape a simulator.
type Options struct {
	// Hosts is how many hosts each cluster has; 0 means 3.
	Hosts int
	// Clusters is how many clusters the datacenter has: Cluster (DC0_C0),
	// then DC0_C1, …; 0 means 1. The template is in the first.
	Clusters int
	// Standalone is how many hosts outside the cluster the datacenter has,
	// each its own compute resource: DC0_H0, DC0_H1, …
	Standalone int
	// VMs is how many VMs (1 vCPU, 512 MiB, powered off, no disk) to make
	// besides the template, spread over the hosts; none carries a NovaCron
	// marker.
	VMs int
	// Listen is the address to serve on; "" means 127.0.0.1 on a free port.
	Listen string
	// Dir is the folder the CA file is written to. The simulator's own
	// files go under os.TempDir(): point TMPDIR at a folder to keep them.
	Dir string
	// DenyCustomFields refuses to define custom attributes (NoPermission,
	// as vCenter does for a user without Global.ManageCustomFields), so
	// NovaCron keeps its record in the VM's annotation only.
	DenyCustomFields bool
}

// Sim is a running simulator.
type Sim struct {
	URL      string // https://HOST:PORT/sdk
	User     string
	Password string
	CAFile   string // PEM of the CA that signed the server's certificate

	model  *simulator.Model
	server *simulator.Server
}

// Start makes the simulator's inventory, serves it over TLS and populates
// it with the template and o.VMs unmanaged VMs.
func Start(ctx context.Context, o Options) (*Sim, error) {
	if o.Hosts == 0 {
		o.Hosts = 3
	}
	if o.Listen == "" {
		o.Listen = "127.0.0.1:0"
	}
	if o.Dir == "" {
		return nil, errors.New("vcsim: Options.Dir is empty")
	}
	if err := checkListen(o.Listen); err != nil {
		return nil, err
	}
	m := simulator.VPX()
	m.Host, m.ClusterHost, m.Machine, m.Autostart = o.Standalone, o.Hosts, 0, false
	m.Cluster = max(o.Clusters, 1)
	if err := m.Create(); err != nil {
		return nil, fmt.Errorf("vcsim: making the inventory: %w", err)
	}
	s := &Sim{User: User, Password: password(), CAFile: filepath.Join(o.Dir, "vcsim-ca.pem"), model: m}
	cert, err := certificates(s.CAFile, localNames())
	if err != nil {
		m.Remove()
		return nil, fmt.Errorf("vcsim: making the TLS certificates: %w", err)
	}
	m.Service.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	m.Service.Listen = &url.URL{Host: o.Listen, User: url.UserPassword(s.User, s.Password)}
	if o.DenyCustomFields {
		s.InjectFault("AddCustomFieldDef", &types.NoPermission{PrivilegeId: "Global.ManageCustomFields"},
			"Permission to perform this operation was denied.")
	}
	s.server = m.Service.NewServer()
	u := *s.server.URL
	u.User = nil
	s.URL = u.String()
	if err := s.populate(ctx, o.Hosts, o.VMs); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// checkListen fails when nothing can listen on addr (the simulator panics).
func checkListen(addr string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("vcsim: cannot listen on %s: %w", addr, err)
	}
	return l.Close()
}

// password is a fresh random password.
func password() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Env is the environment that points NovaCron's vSphere driver at the
// simulator: NOVACRON_VSPHERE_URL, _USER, _PASSWORD and _CA_FILE.
func (s *Sim) Env() []string {
	return []string{
		"NOVACRON_VSPHERE_URL=" + s.URL,
		"NOVACRON_VSPHERE_USER=" + s.User,
		"NOVACRON_VSPHERE_PASSWORD=" + s.Password,
		"NOVACRON_VSPHERE_CA_FILE=" + s.CAFile,
	}
}

// InjectFault makes every call of the SOAP method fail with f and the
// message, until ClearFaults.
func (s *Sim) InjectFault(method string, f types.BaseMethodFault, message string) {
	s.model.Service.AddFaultRule(&simulator.FaultInjectionRule{
		MethodName: method, ObjectType: "*", ObjectName: "*", Message: message,
		Probability: 1, FaultType: simulator.FaultTypeCustom, Fault: f, Enabled: true,
	})
}

// ClearFaults ends every InjectFault.
func (s *Sim) ClearFaults() { s.model.Service.ClearFaultRules() }

// Close stops serving and removes the simulator's files and the CA file.
func (s *Sim) Close() {
	if s.server != nil {
		s.server.Close()
	}
	s.model.Remove()
	os.Remove(s.CAFile)
}
