// Package provider is NovaCron's Terraform provider, built on
// terraform-plugin-framework (protocol 6) and served by
// cmd/terraform-provider-novacron.
//
// It owns the Terraform surface only: the provider configuration (one typed
// block per registered driver type, generated from the driver registry, so a
// new driver appears without changes here), the resources novacron_vm and
// novacron_fleet, the data sources novacron_inventory and novacron_hosts,
// their schemas, validators and plan modifiers, and the conversion between
// Terraform values and engine values.
//
// It must not re-implement the engine, nor compose an operation itself:
// every plan, apply and import goes through engine/operation, the core
// nova-plan runs on too (engine.go: Operation.PlanWith against the
// inventory the provider has read, Operation.Apply walking the graph built
// at plan time, Operation.PlanImportWith), within the backend's limits; a
// resource's own Terraform state stands in for the engine's state document,
// an in-memory recorder collects the results, and the core's
// OutcomeDiagnostics, placed on the attribute of the VM they are about
// (diagnostics.go), report them. It must not import engine/exec
// (internal/layout checks it). A novacron_vm is a fleet of one. Drivers are opened lazily, once per backend per process, and shared
// (see pool.go), because Terraform calls resources concurrently and a driver
// such as the simulator holds a lock per open.
//
// What belongs to Terraform lives here: each resource's lineage (random,
// made by Create, kept in its state; lineage.go), which the engine's
// ownership rules then apply to; the plan of a replacement as a new object
// (conflicts.go); the records a fleet keeps of its VMs in its private state
// and plans against, so that Terraform's planning again before an apply
// gives the same plan, and the apply stops when the VMs changed since
// (records.go); import IDs that name the owner whose VMs they take
// (import_id.go); template digests instead of template values in what the
// provider computes (template_digest.go); and the state upgrades from
// schema version 0 (state_upgrade.go).
package provider
