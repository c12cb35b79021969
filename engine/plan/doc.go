// Package plan diffs the desired model (spec) against live inventory and
// state into a Plan: a list of changes, each with before, after and the
// reasons for it, and a Graph that orders them (depends_on, rollout batches,
// reverse-order deletes, several changes to one address). Before it plans
// it checks the state against the inventory (ids in each driver's
// spelling, addresses that agree with the VMs' markers, VMs another
// workspace took over), and it refuses any plan that would act on one VM
// for two addresses (claims.go), or that two providers whose scopes
// overlap would both act on (overlap.go). The spec's moved and removed
// blocks are applied to a copy of the state before anything is compared
// (moves.go): the diff plans a move per moved VM (its marker rewritten, its
// record moved; chains followed, moves the state contradicts refused),
// marks the VM's other changes with the address it moved from, and plans a
// forget for each VM a removed block with destroy = false names. It plans
// imports
// (the adopt an import block asks for; DiffImport for `nova-plan import`),
// and owns the saved plan file format and the staleness checks that refuse a
// plan made against another state, other VMs or other hosts. It also
// compares without planning (DiffDrift; drift.go): per VM, what changed out
// of band (the live VM against the state, the spec's drift ignore rules
// applied) apart from the pending changes (the spec against the state),
// with the same attributes and the same comparison (attr_diff.go). It
// plans an explicit request on one VM of the state — a start, a stop, a
// restart (a stop then a start) or a migration within its provider's
// room — as asked, not diffed (PlanRequest; request.go): whether the spec
// allows it is the face's to decide. Several migrations plan as one plan
// the same way (PlanRequests; request_many.go: `nova-plan rebalance`),
// each host's room counting the VMs earlier requests move onto it.
//
// Rendering plans as text or JSON is the CLI's job; applying them is
// engine/exec's. This package never calls a driver.
package plan
