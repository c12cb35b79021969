package local

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
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
	version := s.journalVersionOf()
	st, err := s.Read(ctx)
	if err != nil || st == nil {
		return
	}
	if err := s.Compact(ctx, st); err != nil {
		s.note("Could not fold %s, left by an interrupted apply, into %s: %v.", s.path(JournalFile), s.path(StateFile), err)
		return
	}
	if version > 0 && version < journalVersion {
		s.note("Folded the changes of %s (journal version %d), left by an interrupted apply, into %s; this nova-plan writes journal version %d.",
			s.path(JournalFile), version, s.path(StateFile), journalVersion)
		return
	}
	s.note("Folded the changes of %s, left by an interrupted apply, into %s.", s.path(JournalFile), s.path(StateFile))
}

// journalVersionOf returns the version its header gives the journal; 0
// when it has none that can be read.
func (s *Store) journalVersionOf() int {
	f, err := os.Open(s.path(JournalFile))
	if err != nil {
		return 0
	}
	defer f.Close()
	line, _ := bufio.NewReader(io.LimitReader(f, 4096)).ReadBytes('\n')
	var h journalHeader
	if json.Unmarshal(line, &h) != nil {
		return 0
	}
	return h.Version
}
