package driver

import (
	"context"
	"maps"
	"slices"
	"strings"
)

// Driver manages the VMs of one configured provider (one provider block).
// Implementations must be safe for concurrent use: the executor calls Create,
// Update, Delete and Migrate from many goroutines at once.
//
// VM ids are canonical strings. Inventory and Create report each VM's id
// in the one spelling the driver gives it, and the engine compares ids
// exactly: two ids are one VM only when the strings are equal. Update,
// Delete and Migrate refuse, with a permanent error and without touching
// any VM, an id that is not canonical: one CheckID refuses, or another
// spelling of an id (a UUID in upper case, or without dashes) that the
// system behind the driver would take for a VM (NotCanonical). They never
// resolve it: a state file holding one VM at two addresses in two
// spellings would otherwise have a plan delete the VM for the one it takes
// as gone while the other keeps it. A canonical id that names no VM is not
// found (Update, Migrate) or already deleted (Delete succeeds). A driver
// whose system accepts several spellings implements IDCanonicalizer, so
// that the engine can check the ids it did not get from the driver.
type Driver interface {
	// Inventory lists every VM and host the provider can see, in bulk: one
	// list call (paged), never one call per VM.
	Inventory(ctx context.Context) (Inventory, error)
	// Create makes a VM and writes spec.Marker on it as part of creation,
	// so a VM that exists always carries its marker.
	Create(ctx context.Context, spec VMSpec) (VM, error)
	// Update changes a VM in place. A change that needs a restart is
	// refused with a permanent error unless ch.Restart is set.
	Update(ctx context.Context, id string, ch Changes) (VM, error)
	// Delete removes a VM. Deleting a VM that does not exist succeeds.
	Delete(ctx context.Context, id string) error
	// Migrate moves a VM to another host, live when asked and supported.
	Migrate(ctx context.Context, id, host string, live bool) error
	// Capabilities says what the driver can do without a restart.
	Capabilities() Capabilities
	// Close releases connections and locks.
	Close() error
}

// Power is the power state of a VM.
type Power string

// The power states a spec can ask for.
const (
	PowerRunning Power = "running"
	PowerStopped Power = "stopped"
)

// Valid reports whether p is a power state a spec can ask for.
func (p Power) Valid() bool { return p == PowerRunning || p == PowerStopped }

// VMSpec is what Create is asked to make.
type VMSpec struct {
	Name      string
	Host      string // empty: the driver (or cloud) chooses
	CPU       int
	MemoryMiB int64
	DiskGB    int
	Power     Power
	Template  TemplateRef
	// Tags are the caller's and read-only: a driver copies what it keeps
	// and never changes the map (a plan shares one among a fleet's VMs,
	// created concurrently; drivertest checks both).
	Tags   map[string]string
	Marker Marker
}

// VM is a virtual machine as the provider reports it.
type VM struct {
	ID        string
	Name      string
	Host      string
	CPU       int
	MemoryMiB int64
	// DiskGB is the size of the VM's disk in whole GB (rounded down), or 0
	// when the driver cannot tell (a disk NovaCron did not make, on a
	// hypervisor that does not report it): the plan then makes no change
	// to the disk.
	DiskGB int
	Power  Power
	// Template is the TemplateRef.ID the VM was made from, or empty when the
	// driver cannot tell.
	Template string
	Tags     map[string]string
	// Addresses are the VM's IP addresses, where the driver knows them.
	Addresses []string
	// MaxCPU and MaxMemoryMiB are the most a running VM can grow to without
	// a restart (its hot-add ceiling); 0 means no ceiling beyond what
	// Capabilities say.
	MaxCPU       int
	MaxMemoryMiB int64
	// Marker is nil for a VM NovaCron did not create.
	Marker *Marker
	// Identity, when set, names the VM across every provider of the
	// driver's type (a vSphere VM's instance UUID): two providers that
	// report one Identity see one VM. Empty: the ID stands for it.
	Identity string
}

// Host is a machine VMs are placed on, with its total capacity.
type Host struct {
	Name      string
	CPU       int
	MemoryMiB int64
	// DiskGiB is the disk VMs may use on the host; 0 means the driver does
	// not report it, and placement does not check disk there.
	DiskGiB int64
	// Labels describe the host (rack = "r1", ssd = "true"): placement's
	// host_labels require them and spread_by names one of their keys as a
	// failure domain. Nil when the driver reports none.
	Labels map[string]string
}

// Equal reports whether two hosts have the same name, capacity and labels.
func (h Host) Equal(o Host) bool {
	return h.Name == o.Name && h.CPU == o.CPU && h.MemoryMiB == o.MemoryMiB && h.DiskGiB == o.DiskGiB && maps.Equal(h.Labels, o.Labels)
}

// Inventory is everything a provider reports in one bulk read.
type Inventory struct {
	VMs   []VM
	Hosts []Host
	// Table, when set (ReadCompact), holds the VMs in the driver's own
	// compact form, before those of VMs: read them with Len, ID, Fill, At
	// and List (table.go). Every driver's Inventory leaves it nil.
	Table VMTable
}

// Changes are the in-place changes Update applies; nil fields stay as they are.
type Changes struct {
	CPU       *int
	MemoryMiB *int64
	DiskGB    *int
	Tags      map[string]string // nil: unchanged; non-nil: the complete new set
	Power     *Power
	Marker    *Marker
	// ClearMarker removes the VM's ownership marker (a forget: the
	// workspace releases the VM). The driver deletes the marker's tags,
	// labels or metadata rather than writing empty ones, so an inventory
	// reports the VM with no marker, and its user tags as they were; a VM
	// without a marker is left as it is. It wins over Marker.
	ClearMarker bool
	// Restart allows the driver to stop and start the VM to apply the change.
	Restart bool
}

// Capabilities tell the planner what a driver can change without a restart.
type Capabilities struct {
	HotAddCPU      bool // raise vCPUs of a running VM
	HotAddMemory   bool // raise memory of a running VM
	OnlineDiskGrow bool // grow the disk of a running VM
	Migrate        bool // move a VM between hosts at all
	LiveMigrate    bool // move a running VM without stopping it
	// StoppedUseNoCapacity: a stopped VM holds no CPU or memory on its
	// host (libvirt), so placement counts only running VMs. When false
	// (the sim), every VM counts whatever its power.
	StoppedUseNoCapacity bool
	// MaxParallel is the default limit of concurrent operations against
	// this provider; 0 means no limit beyond the executor's.
	MaxParallel int
}

// TemplateRef is a template resolved for one driver type: the logical name
// from the spec and the settings of its mapping for this driver.
type TemplateRef struct {
	Name string
	// Config holds every setting's value, the sensitive ones included:
	// drivers read it when they create a VM, and must not show it.
	Config Config
	// Sensitive holds, for each setting whose value is secret (cloud-init
	// user data, keys), a digest that ID shows in place of the value; ""
	// until the digest is made (ID then shows no more than "sensitive").
	Sensitive map[string]string
}

// ID is a canonical string for the mapping: two refs with equal IDs make the
// same VM image. Drivers report it back in VM.Template. It lands in state,
// plans and VM metadata, so sensitive values appear only as their digest.
func (t TemplateRef) ID() string {
	keys := slices.Sorted(maps.Keys(t.Config))
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		v := t.Config.Format(k)
		if digest, ok := t.Sensitive[k]; ok {
			v = "sensitive:" + digest
		}
		parts = append(parts, k+"="+v)
	}
	return strings.Join(parts, ",")
}
