// Package estate is what `nova-plan serve` serves: the spec folders under
// one root, each a workspace (engine/workspace), and the operations the
// API and the dashboard run on them. Every change is a plan made by the
// engine and applied by its executor under the workspace's lock, recorded
// in state and in the workspace's history with who asked for it; runs
// outlive the request that started them and are waited for at Close,
// which lets the changes in flight finish and starts no others.
//
// The workspaces are the root itself, when it holds spec files, and each
// folder directly under it that does, named by their folders (names the
// spec accepts for a fleet, so they are safe path segments); a folder that
// cannot be served is skipped, with why (Skipped). The sessions
// of one workspace take turns before they take its state lock: a driver
// may allow one open instance at a time (the simulator does, even within
// one process). So runs on one workspace queue, each up to
// Options.LockTimeout.
//
// It keeps the last inventory of every workspace, read at Open, after
// each run and on Refresh, as one listing indexed by workspace, provider,
// host, power and fleet, so listing VMs reads memory, not hypervisors.
//
// Every plan, the API's and those of runs, is checked against the
// policies the workspace's spec names, as nova-plan's are (policy.go).
// An uploaded spec may declare only the workspace's own provider blocks,
// unchanged, and a plan's variables may not change them: the server
// connects only where the folder says (upload_providers.go). An uploaded
// spec's modules are the workspace folder's, and a module source leading
// out of that folder is refused (spec.Options.ModuleRoot). Plans are
// kept in memory (MaxPlans per workspace, PlanTTL each) and applied by
// their digest, once; runs too (MaxRuns per workspace), a forgotten run
// read back from the history; a plan made stale by a change of the
// spec, the state or the VMs is refused. A VM action on a VM a spec owns
// is refused when it contradicts the spec, naming the block, and is
// otherwise planned by the engine as an explicit request on that VM
// (plan.VMRequest). The VMs of the API-owned workspace are vm blocks of
// its APISpecFile, which the run writes once it holds the state lock
// (hclwrite, checked by loading the spec, atomically) and plans with a
// target.
//
// It must not compose an operation itself (no executor, no diff): it
// calls engine/workspace. It renders nothing and knows nothing of HTTP or
// users beyond the name it records as who.
package estate
