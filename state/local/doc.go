// Package local is the default state backend: one workspace's state kept in
// files under its .nova folder.
//
//	.nova/state.json     the document, replaced atomically (temp file, fsync, rename, fsync dir)
//	.nova/state.lock     the workspace lock: flock(2) on this file, its body names the holder
//	.nova/history.jsonl  the audit log, one JSON record per line, append only
//
// A reader sees the old or the new document, never a mix. Documents are
// read with state.Decode and written by a hand-made encoder that writes
// what encoding/json would. A document that is not JSON is reported with
// its path, line and column, one that state.Decode refuses with each
// problem and how to repair it; neither is ever rewritten or removed by
// this package. A lock file whose body names no holder is reported as
// such, with the file to remove. The lock is held by the open
// file descriptor, so a holder that dies (even with SIGKILL) releases it and
// the next Lock takes the file over, and repairs what the holder left
// (repair.go): it removes state.json.tmp-DIGITS files and moves a torn last
// history line to history.jsonl.torn-TIME; Repairs reports both.
//
// It must not decide what the state means (that is the engine's business)
// nor keep backups or other copies of the document.
package local
