// Package state holds what NovaCron remembers between runs: per address, the
// provider, the VM's id and the attributes last applied, under a lineage and a
// serial. It defines the Store interface that backends implement (local file
// in state/local, PostgreSQL in state/pg), the Backend interface that holds a spec's workspaces, each with its own Store, the lock and history (audit) records with
// their kinds and outcome words, DeltaStore, the optional interface of a
// Store that persists changed records alone (Delta, EncodeDelta,
// DecodeDelta, and EncodeDeltaRecord / DecodeDeltaRecord for records that
// name their lineage), Writer, the single synchronized writer the executor
// records through (changed records when its Store is a DeltaStore, the
// whole document at the end), Decode, which reads a document's JSON text in
// one checked pass (duplicate keys, unknown fields, types, UTF-8, each with
// its line; records with the same tags or depends_on share one map or
// list, so a record is replaced, never changed in place), DecodeFrom, the
// same from a reader as it reads (a clean document only: any other is
// Decode's to explain), and Validate, the rules a document must satisfy to be read or
// written (every backend applies them). Validate checks addresses with
// engine/addrs, the one typed address, which imports nothing of the
// project.
//
// It must not import the engine (engine/addrs aside): the engine imports
// state, not the reverse. Sensitive values never reach this package.
package state
