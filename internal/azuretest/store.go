package azuretest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"

	azfake "github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	computefake "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	networkfake "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8/fake"
)

// Config describes the resource group a Store holds and what exists
// around it.
type Config struct {
	Subscription  string
	ResourceGroup string
	Location      string
	Subnets       []string // subnet resource IDs network interfaces may join
	Images        []string // marketplace publisher:offer:sku (any version) or image resource IDs
	Sizes         []string // VM sizes the location offers
	PageSize      int      // VMs per list page; 0: 50
}

// Store is one resource group's VMs and network interfaces. It is safe
// for concurrent use.
type Store struct {
	cfg  Config
	cred azfake.TokenCredential

	mu       sync.Mutex
	vms      map[string]*armcompute.VirtualMachine // by lower-case name
	power    map[string]string                     // PowerState of each VM: running, deallocated
	nics     map[string]*armnetwork.Interface
	calls    map[string]int
	throttle int
}

// New returns an empty resource group.
func New(cfg Config) *Store {
	if cfg.PageSize == 0 {
		cfg.PageSize = 50
	}
	return &Store{cfg: cfg, vms: map[string]*armcompute.VirtualMachine{}, power: map[string]string{},
		nics: map[string]*armnetwork.Interface{}, calls: map[string]int{}}
}

// Credential is the fake token credential the clients use; SetError on it
// refuses every token.
func (s *Store) Credential() *azfake.TokenCredential { return &s.cred }

// Transport serves the compute and network clients from the store.
func (s *Store) Transport() policy.Transporter {
	return &transport{s: s,
		compute: computefake.NewServerFactoryTransport(&computefake.ServerFactory{VirtualMachinesServer: s.vmServer()}),
		network: networkfake.NewServerFactoryTransport(&networkfake.ServerFactory{InterfacesServer: s.nicServer()}),
	}
}

// Throttle makes the next n requests answer 429 Too Many Requests.
func (s *Store) Throttle(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.throttle = n
}

// Calls returns how many requests reached the method ("GET
// virtualMachines", "PUT networkInterfaces" …), throttled ones included.
func (s *Store) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// VMNames and NICNames list what the resource group holds, sorted.
func (s *Store) VMNames() []string {
	return s.names(func() []string { return nameList(s.vms, func(v *armcompute.VirtualMachine) *string { return v.Name }) })
}
func (s *Store) NICNames() []string {
	return s.names(func() []string { return nameList(s.nics, func(n *armnetwork.Interface) *string { return n.Name }) })
}

func (s *Store) names(f func() []string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := f()
	slices.Sort(out)
	return out
}

// AddVMs puts n running VMs that NovaCron did not make into the resource
// group, named prefix-0 … (without network interfaces: nothing here
// reads them).
func (s *Store) AddVMs(prefix string, n int, size string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range n {
		name := fmt.Sprintf("%s-%d", prefix, i)
		vm := &armcompute.VirtualMachine{
			Location: &s.cfg.Location,
			Tags:     map[string]*string{"owner": ptr("someone-else")},
			Properties: &armcompute.VirtualMachineProperties{
				HardwareProfile: &armcompute.HardwareProfile{VMSize: ptr(armcompute.VirtualMachineSizeTypes(size))},
				StorageProfile:  &armcompute.StorageProfile{OSDisk: &armcompute.OSDisk{DiskSizeGB: ptr(int32(30))}},
			},
		}
		s.stamp(name, vm)
		s.vms[strings.ToLower(name)], s.power[strings.ToLower(name)] = vm, "running"
	}
}

// Resize changes a VM's size behind NovaCron's back.
func (s *Store) Resize(name, size string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if vm := s.vms[strings.ToLower(name)]; vm != nil {
		vm.Properties.HardwareProfile.VMSize = ptr(armcompute.VirtualMachineSizeTypes(size))
	}
}

// stamp sets the read-only fields Azure sets on a VM.
func (s *Store) stamp(name string, vm *armcompute.VirtualMachine) {
	vm.ID = ptr(s.id("Microsoft.Compute/virtualMachines", name))
	vm.Name, vm.Type = ptr(name), ptr("Microsoft.Compute/virtualMachines")
	if vm.Properties != nil {
		vm.Properties.ProvisioningState = ptr("Succeeded")
	}
}

func (s *Store) id(typ, name string) string {
	return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/%s/%s", s.cfg.Subscription, s.cfg.ResourceGroup, typ, name)
}

// group reports whether rg is the store's resource group.
func (s *Store) group(rg string) bool { return strings.EqualFold(rg, s.cfg.ResourceGroup) }

// transport counts requests, throttles, and routes them to the fakes.
type transport struct {
	s                *Store
	compute, network policy.Transporter
}

func (t *transport) Do(req *http.Request) (*http.Response, error) {
	path := strings.ToLower(req.URL.Path)
	kind := "virtualMachines"
	if strings.Contains(path, "/microsoft.network/") {
		kind = "networkInterfaces"
	}
	t.s.mu.Lock()
	t.s.calls[req.Method+" "+kind]++
	throttled := t.s.throttle > 0
	if throttled {
		t.s.throttle--
	}
	t.s.mu.Unlock()
	if throttled {
		return tooMany(req), nil
	}
	if kind == "networkInterfaces" {
		return t.network.Do(req)
	}
	return t.compute.Do(req)
}

// tooMany is ARM's throttling answer.
func tooMany(req *http.Request) *http.Response {
	body := `{"error":{"code":"TooManyRequests","message":"The request is being throttled."}}`
	h := http.Header{"Content-Type": {"application/json"}, "Retry-After-Ms": {"5"}}
	return &http.Response{StatusCode: http.StatusTooManyRequests, Status: "429 Too Many Requests", Header: h,
		Body: io.NopCloser(strings.NewReader(body)), Request: req, ContentLength: int64(len(body))}
}

// clone deep-copies a model through JSON, as the wire would.
func clone[T any](v *T) *T {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var out T
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return &out
}

func ptr[T any](v T) *T { return &v }

func nameList[V any](m map[string]V, name func(V) *string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, *name(v))
	}
	return out
}

// VMTags returns a VM's tags.
func (s *Store) VMTags(name string) map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]string{}
	if vm := s.vms[strings.ToLower(name)]; vm != nil {
		for k, v := range vm.Tags {
			if v != nil {
				out[k] = *v
			}
		}
	}
	return out
}

// CustomData returns a VM's custom data, decoded.
func (s *Store) CustomData(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	vm := s.vms[strings.ToLower(name)]
	if vm == nil || vm.Properties == nil || vm.Properties.OSProfile == nil || vm.Properties.OSProfile.CustomData == nil {
		return ""
	}
	b, _ := base64.StdEncoding.DecodeString(*vm.Properties.OSProfile.CustomData)
	return string(b)
}
