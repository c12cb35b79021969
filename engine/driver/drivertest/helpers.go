package drivertest

import (
	"maps"
	"slices"
	"strings"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/novacron/novacron/engine/driver"
)

// missingID is an ID no driver hands out.
const missingID = "novacron-drivertest-missing"

// missingHost is a host name no provider has.
const missingHost = "novacron-drivertest-no-such-host"

// spec returns a small running VM spec with user tags and a marker, named
// after the case so leftovers are easy to trace.
func (e *env) spec(name string) driver.VMSpec {
	return driver.VMSpec{
		Name:      "drivertest-" + name,
		CPU:       2,
		MemoryMiB: 2048,
		DiskGB:    10,
		Power:     driver.PowerRunning,
		Template:  e.tmpl,
		Tags:      map[string]string{"tier": "web", "owner": "drivertest"},
		Marker: driver.Marker{
			Address:  "vm." + name,
			Lineage:  "drivertest-lineage",
			SpecHash: "drivertest-hash-" + name,
		},
	}
}

// want is the VM a driver should report for spec, with the given ID and
// host; a zero marker is reported as none.
func (e *env) want(spec driver.VMSpec, id, host string) driver.VM {
	var marker *driver.Marker
	if m := spec.Marker; m != (driver.Marker{}) {
		marker = &m
	}
	return driver.VM{
		ID:        id,
		Name:      spec.Name,
		Host:      host,
		CPU:       spec.CPU,
		MemoryMiB: spec.MemoryMiB,
		DiskGB:    spec.DiskGB,
		Power:     spec.Power,
		Template:  e.tmpl.ID(),
		Tags:      maps.Clone(spec.Tags),
		Marker:    marker,
	}
}

// create makes a VM and checks what Create returns against spec.
func (e *env) create(spec driver.VMSpec) driver.VM {
	e.t.Helper()
	tags := maps.Clone(spec.Tags)
	vm, err := e.d.Create(e.ctx, spec)
	if err != nil {
		e.t.Fatalf("Create(%q): %v", spec.Name, err)
	}
	if !maps.Equal(spec.Tags, tags) {
		e.t.Errorf("Create(%q) changed the spec's tags from %v to %v: a VMSpec's tags are read-only (the plan shares them among a fleet's VMs)", spec.Name, tags, spec.Tags)
	}
	if vm.ID == "" {
		e.t.Fatalf("Create(%q) returned a VM without an ID", spec.Name)
	}
	e.check("Create", vm, e.want(spec, vm.ID, vm.Host))
	return vm
}

// inventory reads the inventory or fails the case.
func (e *env) inventory() driver.Inventory {
	e.t.Helper()
	inv, err := e.d.Inventory(e.ctx)
	if err != nil {
		e.t.Fatalf("Inventory: %v", err)
	}
	return inv
}

// vm reads the inventory and returns the VM with the ID, failing the case
// when it is missing, listed twice, or on a host the inventory lacks.
func (e *env) vm(id string) driver.VM {
	e.t.Helper()
	inv := e.inventory()
	found := findAll(inv, id)
	if len(found) != 1 {
		e.t.Fatalf("Inventory lists VM %s %d times, want once", id, len(found))
	}
	vm := found[0]
	if len(inv.Hosts) > 0 && !hasHost(inv.Hosts, vm.Host) {
		e.t.Errorf("VM %s is on host %q, which Inventory.Hosts does not list", id, vm.Host)
	}
	return vm
}

// absent fails the case when the inventory still lists the VM.
func (e *env) absent(id string) {
	e.t.Helper()
	if n := len(findAll(e.inventory(), id)); n != 0 {
		e.t.Errorf("Inventory lists VM %s %d times, want none", id, n)
	}
}

// check compares a VM with what it should be; empty and nil tags are equal,
// addresses are the guest's business, hot-add ceilings the driver's as
// long as they do not sit below the VM's size, and an identity the
// driver's (the system gives it).
func (e *env) check(what string, got, want driver.VM) {
	e.t.Helper()
	ignore := cmpopts.IgnoreFields(driver.VM{}, "Addresses", "MaxCPU", "MaxMemoryMiB", "Identity")
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty(), ignore); diff != "" {
		e.t.Errorf("%s: VM mismatch (-want +got):\n%s", what, diff)
	}
	if (got.MaxCPU != 0 && got.MaxCPU < got.CPU) || (got.MaxMemoryMiB != 0 && got.MaxMemoryMiB < got.MemoryMiB) {
		e.t.Errorf("%s: hot-add ceiling %d vCPU / %d MiB is below the VM's %d vCPU / %d MiB",
			what, got.MaxCPU, got.MaxMemoryMiB, got.CPU, got.MemoryMiB)
	}
	for k := range got.Tags {
		if strings.HasPrefix(k, "novacron:") {
			e.t.Errorf("%s: marker tag %q leaks into VM.Tags", what, k)
		}
	}
}

// update applies ch or fails the case, and checks the returned VM.
func (e *env) update(id string, ch driver.Changes, want driver.VM) {
	e.t.Helper()
	got, err := e.d.Update(e.ctx, id, ch)
	if err != nil {
		e.t.Fatalf("Update(%s): %v", id, err)
	}
	e.check("Update", got, want)
	e.check("Inventory after Update", e.vm(id), want)
}

// findAll returns every inventory VM with the ID.
func findAll(inv driver.Inventory, id string) []driver.VM {
	var out []driver.VM
	for _, vm := range inv.VMs {
		if vm.ID == id {
			out = append(out, vm)
		}
	}
	return out
}

// hasHost reports whether hosts lists name.
func hasHost(hosts []driver.Host, name string) bool {
	return slices.ContainsFunc(hosts, func(h driver.Host) bool { return h.Name == name })
}

// otherHost returns a host other than name, or "" when there is none.
func otherHost(hosts []driver.Host, name string) string {
	for _, h := range hosts {
		if h.Name != name {
			return h.Name
		}
	}
	return ""
}
