package local

import (
	"context"
	"os"

	"github.com/novacron/novacron/state"
)

// foldJournal runs under the lock, after repairJournal: a journal left
// behind by a writer that died before its compaction (an apply killed near
// its end) is folded into state.json, so that state.json is the state
// again and reads stop re-reading the journal. A journal that cannot be
// read is left as it is (the read after the lock reports why), and so is
// one beside a state.json sealed otherwise than this store seals (the
// next write of the document rewrites it whole). ctx is the lock's: its
// deadline bounds the wait for the lock, not the fold.
func (s *Store) foldJournal(ctx context.Context) {
	ctx = context.WithoutCancel(ctx)
	if _, err := os.Stat(s.path(JournalFile)); err != nil {
		return
	}
	head, err := readHead(s.path(StateFile))
	if err != nil || state.IsSealed(head) != (s.sealer != nil) {
		return
	}
	st, err := s.Read(ctx)
	if err != nil || st == nil {
		return
	}
	if err := s.Compact(ctx, st); err != nil {
		s.note("Could not fold %s, left by an interrupted apply, into %s: %v.", s.path(JournalFile), s.path(StateFile), err)
		return
	}
	s.note("Folded the changes of %s, left by an interrupted apply, into %s.", s.path(JournalFile), s.path(StateFile))
}
