package vsphere

import (
	"context"
	"sync"
	"time"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/internal/lazyregexp"
)

var _ driver.Driver = (*Driver)(nil)

// Driver is an open vSphere provider: one vCenter session, shared by every
// call (govmomi's client is safe for concurrent use). It is safe for
// concurrent use.
type Driver struct {
	pricer driver.CorePricer // cost_per_core_hour, cost_per_gib_hour
	name   string
	cfg    config
	c      *govmomi.Client
	at     place
	// field is the key of the custom attribute that holds NovaCron's
	// record, or noField where custom attributes are not available.
	field int32
	caps  driver.Capabilities

	mu        sync.Mutex
	hosts     hostTable          // as last read
	templates map[string]*source // template VMs by the vm setting
}

// noField: the record is kept in the annotation only.
const noField int32 = -1

// place is where the provider's VMs go, found at Open.
type place struct {
	dc     *object.Datacenter
	folder *object.Folder
	// pool is the configured resource pool (a cluster's root pool, or
	// resource_pool); nil: each host's own compute resource's pool.
	pool     *types.ManagedObjectReference
	poolName string // for messages
	// scope holds the compute resources whose hosts take VMs; nil: every
	// compute resource of the datacenter.
	scope     map[types.ManagedObjectReference]bool
	datastore *types.ManagedObjectReference
	nic       types.BaseVirtualDeviceBackingInfo // nil: the template's
}

// Open logs in to vCenter and finds the datacenter, pool, folder,
// datastore and network the settings name; each that is missing is an
// error naming its setting.
func Open(ctx context.Context, req driver.OpenRequest) (*Driver, error) {
	cfg, err := resolveConfig(req.Config)
	if err != nil {
		return nil, err
	}
	c, err := connect(ctx, cfg)
	if err != nil {
		return nil, err
	}
	d := &Driver{pricer: driver.CorePricerOf(req.Config), name: req.Name, cfg: cfg, c: c, templates: map[string]*source{}}
	if err := d.open(ctx); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// open finds what the settings name, the custom attribute, and the hosts.
func (d *Driver) open(ctx context.Context) error {
	at, err := locate(ctx, d.c, d.cfg)
	if err != nil {
		return err
	}
	d.at = at
	if d.field, err = recordField(ctx, d.c); err != nil {
		return err
	}
	hosts, err := d.readHosts(ctx)
	if err != nil {
		return err
	}
	d.caps = capabilities(len(hosts.inScope()))
	return nil
}

// capabilities: vCPUs and memory grow hot on VMs with hot-add enabled (each
// VM's ceiling says which); disks grow online; a cluster's hosts vMotion;
// a powered-off VM holds no host CPU or memory.
func capabilities(hosts int) driver.Capabilities {
	return driver.Capabilities{
		HotAddCPU:      true,
		HotAddMemory:   true,
		OnlineDiskGrow: true,
		Migrate:        hosts > 1,
		LiveMigrate:    hosts > 1,

		StoppedUseNoCapacity: true,
	}
}

// Capabilities reports what the provider can change without a restart.
func (d *Driver) Capabilities() driver.Capabilities { return d.caps }

// Close ends the vCenter session.
func (d *Driver) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := d.c.Logout(ctx); err != nil {
		return fail(err, "logging out of vCenter %s", d.cfg.url)
	}
	return nil
}

// idPattern is what a VM's managed object ID looks like on vCenter.
var idPattern = lazyregexp.New(`^vm-[0-9]+$`)

// vmRef returns the managed object reference of a VM ID, or false when the
// ID cannot be one.
func vmRef(id string) (types.ManagedObjectReference, bool) {
	if !idPattern.MatchString(id) {
		return types.ManagedObjectReference{}, false
	}
	return types.ManagedObjectReference{Type: "VirtualMachine", Value: id}, true
}
