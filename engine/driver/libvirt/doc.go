// Package libvirt is the KVM/QEMU driver, registered as type "libvirt". It
// talks to libvirtd over its RPC protocol with github.com/digitalocean/go-libvirt
// (pure Go, no cgo) and writes domain XML with libvirt.org/go/libvirtxml.
//
// A provider block names one libvirt host (uri) or several (hosts, a map of
// host name to URI) that form one placement domain. The driver keeps one
// connection per host for its whole life, shared by every call (go-libvirt
// multiplexes RPCs on it), and dials again when a connection drops.
//
// What a VM is here:
//
//   - a persistent domain whose ID is its UUID (stable across migrations);
//   - a disk: a copy-on-write qcow2 overlay on the template's base volume
//     (template volume = "…"), grown to disk_gb; or, for a template that boots
//     a kernel directly (kernel, initrd, cmdline), a blank qcow2 volume of
//     disk_gb; both live in the provider's storage pool;
//   - optionally a NoCloud cloud-init seed (a "cidata" ISO 9660 image built
//     in Go and uploaded to the pool) for user_data and SSH keys;
//   - a <metadata> element in the NovaCron namespace holding the ownership
//     marker, the user tags, the template ID, disk_gb and the volumes the
//     driver made, so Delete removes exactly those;
//   - volume names that carry the VM's name, its domain's UUID and an owner
//     digest of its marker (volname.go), so that the retry of a Create or
//     Delete that failed or crashed part-way finds and removes what it left
//     (leftovers.go);
//   - hot-add headroom: each domain is defined with maximum vCPUs and maximum
//     memory above its current size (max_cpu, max_memory_gb; twice the size
//     by default), so growing within them needs no restart. Memory is
//     changed live through the virtio balloon.
//
// Inventory is bulk: one ConnectListAllDomains per host, then every domain's
// persistent XML fetched concurrently over that host's one connection, then,
// for the disks NovaCron did not make (whose size no metadata records), one
// ConnectGetAllDomainStats (disksize.go); a size libvirt cannot tell is 0,
// unknown.
//
// libvirt errors are mapped to driver error kinds (errors.go): a missing
// domain is not-found, timeouts, busy locks and dropped connections are
// transient, lack of memory or space is capacity, anything else permanent;
// every message names the VM, the host and, where it helps, what to do.
//
// An Update that stops a running VM and then fails starts it again before
// it reports the failure.
//
// Utilization (utilization.go) measures the running domains for
// `nova-plan rebalance`: two bulk statistics calls per host a second apart
// (cpu.time deltas), and the balloon's memory figures or QEMU's RSS.
//
// The package implements driver.Driver and nothing else of the engine. It
// removes only the volumes a VM's metadata records, and those whose names
// tie them to the VM at hand.
package libvirt
