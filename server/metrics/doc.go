// Package metrics is the server's Prometheus registry
// (github.com/prometheus/client_golang): applies and their duration,
// actions by kind and outcome, drift, inventory read time per provider,
// VMs per workspace, provider and power state, and HTTP requests by route and code.
// It implements estate.Observer and wraps the server's handlers.
//
// The registry is its own, never Prometheus's global one. Every label's
// values are bounded: workspaces and providers come from the estate's
// specs, operations, outcomes, actions and power states from fixed sets
// ("other" for anything else), and HTTP routes are the ServeMux's
// patterns, never request paths. It must not label a series with a VM,
// a user, a path or an error text. See docs/metrics.md.
package metrics
