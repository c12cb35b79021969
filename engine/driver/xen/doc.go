// Package xen is the XenServer / XCP-ng driver, registered as type "xen".
// It speaks XenAPI's JSON-RPC 2.0 (POST <url>/jsonrpc) with a small client
// on the standard library, over TLS verified against the system's CAs or
// ca_file unless insecure = true, with one session per provider (logged
// in at Open, again once when XAPI answers SESSION_INVALID, logged out at
// Close).
//
// What a VM is here:
//
//   - a VM cloned from the template the template's xen block names
//     (VM.clone, or VM.copy to the sr setting), provisioned, then sized:
//     VCPUs_at_startup = cpu, memory_dynamic_min/max = memory, the first
//     disk grown to disk_gb; VCPUs_max and memory_static_max are the
//     ceilings max_cpu and max_memory_gb (when larger), up to which a
//     running VM grows live;
//   - identified by its uuid in lower case (another spelling is refused,
//     never resolved), not by its opaque reference;
//   - carrying NovaCron's marker in other_config (novacron:address,
//     novacron:lineage, novacron:spec), with novacron:template (the
//     template's ID) and one novacron:tag:KEY per user tag, written while
//     the clone is still a template, so no VM is ever without it;
//   - on a host: resident_on when running, its affinity when halted. Create
//     pins new VMs (affinity) to the host asked for, or the one with most
//     free memory, and starts them there.
//
// Inventory is bulk: five get_all_records calls (VM, host, host_metrics,
// VBD, VDI) whatever the number of VMs; templates, snapshots and control
// domains are left out. Async calls (clone, copy, provision, start,
// shutdown, pool_migrate, VDI resize and destroy) are polled through
// task.get_record with a growing delay and the wait_timeout deadline, and
// their task records destroyed. XenAPI errors keep their code in the
// message and are classified (errors.go).
//
// The package imports nothing of the engine but engine/driver; its tests
// run against internal/xentest, a strict XenAPI server over TLS.
package xen
