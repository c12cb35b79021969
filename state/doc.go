// Package state holds what NovaCron remembers between runs: per address, the
// provider, the VM's id and the attributes last applied, under a lineage and a
// serial. It defines the Store interface that backends implement (local file
// in state/local, PostgreSQL later), the lock and history (audit) records, and
// Writer, the single synchronized writer the executor records through.
//
// It must not import the engine: the engine imports state, not the reverse.
// Sensitive values never reach this package.
package state
