// Package workspace is nova-plan's face of the engine: it runs operations on
// one spec folder. It owns what belongs to the folder: the spec files and
// their loader; the backend the spec's novacron block names, with
// -backend-config and NOVA_PG_CONN_STR applied (backend_config.go) and its
// secrets kept out of every message (backend_secret.go), opened by
// OpenBackend, the one place that knows the backend types; the selected
// workspace (.nova/environment, NOVA_WORKSPACE; selected.go) and its
// store and lock; state migrate between two backends (migrate.go); the state writer an apply
// records through, the audit history (a run's start and end records), the
// variable values a saved plan is checked against, and the recovery file
// written when state cannot be saved (recovery.go), and the state commands
// that are more than one store call: push's lineage and serial rules
// (push.go), the moves of `state mv` and their history records (moves.go),
// the history's filters and the held locks. It opens and closes the spec's
// drivers.
//
// Everything else of an operation — inventory, diff, fingerprint, plan
// graph, freshness of a saved plan, the executor and its limits — is
// engine/operation's, which this package calls; it must not compose those
// itself. The Terraform provider uses engine/operation directly, not this
// package. It renders nothing.
package workspace
