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
// It must not re-implement the engine. Every change is planned by
// engine/plan (Diff, BuildGraph) and applied by engine/exec (Executor) through
// the drivers of engine/driver, exactly as nova-plan does; a resource's own
// Terraform state stands in for the engine's state document, and an
// in-memory exec.Recorder collects the results. A novacron_vm is a fleet of
// one. Drivers are opened lazily, once per backend per process, and shared
// (see pool.go), because Terraform calls resources concurrently and a driver
// such as the simulator holds a lock per open.
package provider
