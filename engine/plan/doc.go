// Package plan diffs the desired model (spec) against live inventory and
// state into a Plan: a list of changes, each with before, after and the
// reasons for it, and a Graph that orders them (depends_on, rollout batches,
// reverse-order deletes, several changes to one address). It plans imports
// (the adopt an import block asks for; DiffImport for `nova-plan import`),
// and owns the saved plan file format and the staleness checks that refuse a
// plan made against another state, other VMs or other hosts.
//
// Rendering plans as text or JSON is the CLI's job; applying them is
// engine/exec's. This package never calls a driver.
package plan
