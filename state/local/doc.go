// Package local is the default state backend: a spec's workspaces kept in
// files under its .nova folder. The default workspace lives in the folder
// itself (where a project kept its one state before workspaces existed, so
// that state needs no migration); every other workspace in a folder of its
// own, workspaces/NAME/, made by CreateWorkspace, with the same files:
//
//	.nova/state.json                     the default workspace's document, replaced atomically
//	.nova/state.journal                  changes written since state.json (WriteDelta), one per line
//	.nova/state.lock                     its lock: flock(2) on this file, its body names the holder
//	.nova/history.jsonl                  its audit log, one JSON record per line, append only
//	.nova/workspaces/NAME/state.json     workspace NAME's document, lock and history
//	.nova/workspaces/NAME/state.lock
//	.nova/workspaces/NAME/history.jsonl
//
// A document is replaced by writing a temporary file, syncing it, renaming
// it over state.json and syncing the folder: a reader sees the old or the
// new document, never a mix. Write enforces the Store rule (same lineage,
// a greater serial, else a *state.ConflictError) without decoding the
// stored document: state.Encode writes format_version, lineage and serial
// first, so Write reads the first 4 KiB; a file of another shape (edited by
// hand) or a sealed one is read whole. The check and the rename happen
// under a flock of the folder, so writers in several processes never both
// replace one document. Overwrite skips the rule.
//
// The store is a state.DeltaStore (journal.go): WriteDelta appends the
// changed records as one line (sealed like the document) to state.journal,
// whose first line names the state.json it follows by the SHA-256 of its
// stored bytes, and syncs it; each record names its lineage and ends with a
// CRC-32C of its bytes (journal_record.go; journals of version 1, without
// them, are still read). Read applies the whole lines in order, refuses one
// that fails its checksum or names another lineage (damaged at line N), and
// ignores a torn last one; Write, Overwrite and Compact rename the new
// state.json first and remove the journal after, and a journal whose
// header names another state.json is stale: never applied, removed by
// the next Lock, unless it holds changes newer than state.json (then it is
// refused and kept). WriteDelta reports compaction once the journal is larger
// than state.json and, past 1 MiB, holds more VM records than the document
// has VMs (never for the new VMs of a large fresh apply). What the store
// last saw (lineage, serial, sizes) is
// kept between writes while the files are the same (inode, size, mtime),
// so a write costs the change, not a reread of the files.
//
// Documents are read with state.Decode and written with state.Encode; a
// plaintext state.json without a journal is decoded as it is read
// (state.DecodeFrom: its text is never held whole), and read whole again
// for state.Decode's diagnostics when it has a problem. With a state.Sealer (WithSealer) what is stored is sealed, and read through
// state.OpenStored. A document that is not JSON is reported with its path,
// line and column, one that state.Decode refuses with each problem and how
// to repair it; neither is ever rewritten or removed by Read or Write. A
// lock file whose body names no holder is reported as such, with the file
// to remove. The lock is held by the open file descriptor, so a holder
// that dies (even with SIGKILL) releases it and the next Lock takes the
// file over, and repairs what the holder left (repair.go): it removes
// state.json.tmp-DIGITS and state.journal.tmp-DIGITS files, moves a torn
// last history line to history.jsonl.torn-TIME and a torn last journal
// record to state.journal.torn-TIME, and removes a stale journal; Repairs
// reports them. Backend.Locks asks flock
// too: a lock file left by a dead holder is not a held lock.
//
// It must not decide what the state means (that is the engine's business)
// nor keep backups or other copies of the document.
package local
