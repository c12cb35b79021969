// Package state holds what NovaCron remembers between runs: per address, the
// provider, the VM's id and the attributes last applied, under a lineage and a
// serial. It defines the Store interface that backends implement (local file
// in state/local, PostgreSQL later), the lock and history (audit) records,
// Writer, the single synchronized writer the executor records through, and
// Validate, the rules a document must satisfy to be read or written (every
// backend applies them). Validate knows the spec language's address form
// (address.go) because state must not import the spec; issue 8 replaces that
// with one typed address.
//
// It must not import the engine: the engine imports state, not the reverse.
// Sensitive values never reach this package.
package state
