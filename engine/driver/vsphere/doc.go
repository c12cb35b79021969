// Package vsphere is the VMware vSphere driver, registered as type
// "vsphere". It talks to vCenter's SOAP API with github.com/vmware/govmomi,
// over one session per provider shared by every call.
//
// A provider block names a vCenter (url, user, password; TLS verified
// against the system's CAs or ca_file unless insecure = true is written),
// a datacenter, and where VMs go: a cluster or a resource pool (or every
// host of the datacenter), a folder, a datastore and a network. Each is
// looked up when the driver opens, and one that is missing is an error
// naming its setting.
//
// What a VM is here:
//
//   - a clone of a VM template (template vm = "…", by name or inventory
//     path), full or linked to the template's current snapshot, made with
//     its size, hot-add settings, network, guestinfo (cloud-init user
//     data) and record in the clone's configuration, its disk grown after
//     the clone by an edit of the clone's own disk;
//   - identified by its managed object ID ("vm-123");
//   - carrying NovaCron's record (record.go): the ownership marker, the
//     user tags, the template ID and the disk size asked for, as JSON in the
//     VM's custom attribute "novacron", on the last line of its
//     annotation and in its extra configuration ("novacron.record"). The
//     clone's configuration holds the last two, so the VM carries its
//     marker from the moment it exists; the custom attribute wins, then
//     the annotation, and where vCenter has no custom attributes (or the
//     user may not define one) the other two hold it.
//
// Inventory is bulk: one container view and one property-collector
// retrieve of only the needed properties for the datacenter's hosts, and
// the same for the VMs of the provider's scope (its resource pool, a
// cluster's root pool, with the pools under it; the datacenter when it
// names neither); never a call per VM. A provider never lists another's
// cluster or pool. VM templates are not listed.
//
// Utilization (utilization.go) is bulk too: one property-collector
// retrieve over two container views reads the quick statistics of the
// scope's VMs (summary.quickStats: overallCpuUsage in MHz, hostMemoryUsage
// and guestMemoryUsage in MiB) and every host's MHz per core; a VM's cores
// are its MHz over its host's. A VM that is not powered on or has no
// statistics yet is left out, never reported as idle.
//
// vSphere faults are mapped to driver error kinds (errors.go): a missing
// object is not-found; a busy object, a timeout or an unreachable host is
// transient; lack of resources is capacity; an invalid spec and anything
// else is permanent. Messages keep vCenter's own.
//
// The package implements driver.Driver and driver.UtilizationReader and
// nothing else of the engine. It destroys only VMs it is asked to by ID,
// and clones it made itself when their Create fails.
package vsphere
