// Package pgtests holds the process-level tests of nova-plan on the pg
// state backend against the real PostgreSQL server (internal/pgtest): many
// applies at once on one workspace, a lock holder killed with SIGKILL, the
// database restarted during an apply, -lock-timeout=0 failing fast. They
// build the binary (internal/clitest) and run it as a user would, on the
// simulator with latency on. They are slow, so they are a package of their
// own, which `go test ./...` runs beside the others.
//
// It holds no code but its tests.
package pgtests
