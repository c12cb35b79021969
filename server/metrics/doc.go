// Package metrics is the server's Prometheus registry
// (github.com/prometheus/client_golang): applies and their duration,
// actions by kind and outcome, drift, inventory read time per provider,
// VMs per provider and power state, and HTTP requests by route and code.
// It implements estate.Observer and wraps the server's handlers.
package metrics
