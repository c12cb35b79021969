// Package operation is the one place that composes a NovaCron operation,
// for both faces: nova-plan's workspace (engine/workspace) and the
// Terraform provider (provider/) call it, and internal/layout's
// provider-through-core rule keeps the provider from reaching engine/exec
// or the diff another way (it names the executor's types a face handles:
// Recorder, Event, Result).
//
// Given open drivers by provider key with the limits their provider blocks
// set, a spec, a state and a lineage, it reads every inventory in bulk and
// concurrently (telling the face how long each read took, when it asks),
// diffs them into a plan (plan.Diff; plan.DiffImport for the adopt of
// imported VMs, one or several; plan.DiffDrift for `drift`, which compares
// without planning (drift.go); an adopt with MovedFrom per VM for `state
// mv`, which rewrites each VM's marker — moves.go; plan.PlanRequest for an
// explicit request on one VM, the server's VM actions — request.go;
// plan.PlanRequests for the migrations a chooser picks from the
// inventories and the drivers' utilization, `rebalance` — requests.go), asks each driver that can
// (driver.CreateChecker) whether it would make the VMs the plan creates
// (checks.go), fingerprints the inventories for saved plans, orders the changes into
// the plan graph once per operation, checks a saved plan's freshness, and
// applies a plan with engine/exec's executor through the caller's
// exec.Recorder and event callback, wiring each provider's parallelism and
// rate limit. No driver error leaves it with a sensitive value of the spec
// in it (spec.Spec.Redactor; redact.go): not an inventory error, an event,
// a history record, or an outcome. It also turns the outcome of an apply
// into diagnostics, with the fleet block's source range and
// machine-readable context (OutcomeDiagnostics).
//
// It must not know about folders, files, locks, stores, audit history or
// Terraform: it opens no driver and closes none, reads and writes no state
// (the Recorder does), and renders nothing. Each face adds what is its own
// around it. Its only concurrency is the bulk inventory read, whose
// goroutines it waits for; an apply's concurrency lives in engine/exec.
package operation
