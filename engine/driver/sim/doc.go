// Package sim is the simulated cluster: NovaCron's embedded default driver,
// registered as type "sim". It needs no hypervisor, so a quickstart spec, a
// demo and every engine test can plan and apply against it.
//
// A sim provider is a set of hosts with vCPU and memory capacity (from the
// provider block) and the VMs placed on them. Capacity is enforced on every
// Create, Update and Migrate, counting running and stopped VMs alike. A
// create without a host lands on the best-fitting one. Inventory copies
// the VMs' tags once per run of VMs that carry the same ones: the VMs of one
// Inventory share those copies, never the cluster's maps. SharedInventory
// (driver.SharedLister, what a plan reads) copies nothing per call: it
// returns VMs the cluster keeps unchanged, which its callers must not
// change either; InventoryTable (driver.TableLister, what a plan reads
// now) returns the snapshot's columns as a table while the cluster keeps
// them, so that a VM is made only when the plan reads it.
//
// The cluster lives in the workspace's data folder, one set of files per
// provider name:
//
//	sim-<name>.snap     snapshot (gob, in columns), rewritten atomically by Close
//	sim-<name>.json     {"version":2,"snapshot":"sim-<name>.snap"}
//	sim-<name>.journal  one JSON line per mutation since the snapshot
//	sim-<name>.lock     flock(2)-held while a process uses the cluster
//
// The journal's lines are written by an append encoder (journal_encode.go),
// not encoding/json; they read back as the same entries, and journals that
// earlier versions wrote with encoding/json replay as before.
//
// Each mutation is appended to the journal before it is reported as done
// (or shown by Inventory), so the cluster survives kill -9 of the process:
// Open loads the snapshot and replays the journal, dropping a torn last
// line. Concurrent mutations share writes: the lines queued while one
// write(2) is under way go out together in the next (commit.go), and a
// failed write undoes every mutation whose line it did not write. Close rewrites the snapshot only when the cluster changed: a
// process that only reads writes nothing, and keeps the VMs as the
// snapshot's columns: Inventory lists them from there, the first
// SharedInventory makes them into the VMs it shares (and drops the
// columns), and only the first mutation makes records of either, so a plan
// holds them once. Open waits for the lock while its
// context lasts; the kernel drops the lock of a process that dies, so a
// crash never leaves it stale. Discard (driver.Discarder), for a command
// refused before it used the cluster, releases the lock and writes
// nothing: the journal stays for the next command to replay. Open checks
// sim-<name>.json's version and the snapshot it names before it reads the
// compact snapshot: a newer version is refused, one NovaCron never wrote
// is damaged.
//
// NovaCron versions before the compact snapshot kept the whole cluster in
// sim-<name>.json (format version 1). Open still reads such a file, and
// leaves it as it is while nothing changes (plan, inventory and drift write
// nothing, so the older NovaCron can still open the cluster); the first
// Close after a change (or after replaying a journal an older NovaCron
// left) moves the cluster to sim-<name>.snap and leaves in the JSON file
// only its name, as version 2, so that an older NovaCron refuses the
// cluster rather than taking it for an empty one; Notes (driver.Noter)
// then tells the move once, for the CLI to show. ReadSnapshotJSON and
// WriteSnapshotJSON give tests the cluster in the layout of version 1.
//
// For tests of the engine the sim can also misbehave on purpose: `latency`
// delays every call and `fail_rate` (reproducible with `seed`) makes
// mutating calls fail with transient errors before they change anything.
//
// The package implements driver.Driver and nothing else of the engine: no
// planning, no state, no placement policy beyond picking a host for a create
// that names none.
package sim
