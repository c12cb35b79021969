package local

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/novacron/novacron/state"
)

var _ state.Repairer = (*Store)(nil)

// Repairs returns what the store repaired since the last call: temporary
// files removed and torn history records set aside.
func (s *Store) Repairs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	notes := s.notes
	s.notes = nil
	return notes
}

func (s *Store) note(format string, args ...any) {
	s.mu.Lock()
	s.notes = append(s.notes, fmt.Sprintf(format, args...))
	s.mu.Unlock()
}

// repair runs when the lock is taken: what a holder that died (kill -9, a
// power cut) or ran out of disk left behind is cleaned up now that no one
// else writes. It never fails the lock; what it cannot repair it reports,
// and AppendHistory refuses to append after a torn record. A journal left
// behind is folded into state.json (foldJournal).
func (s *Store) repair(ctx context.Context) {
	s.removeTempStates()
	s.repairJournal()
	s.foldJournal(ctx)
	f, err := os.OpenFile(s.path(HistoryFile), os.O_RDWR|os.O_APPEND, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err != nil {
		s.note("Could not check %s for a torn last record: %v.", s.path(HistoryFile), err)
		return
	}
	defer f.Close()
	if _, err := s.repairTail(f); err != nil {
		s.note("%v.", err)
	}
}

// tempPrefix starts the name of a temporary state file: writeTemp makes
// them with os.CreateTemp, which puts decimal digits after it.
const tempPrefix = StateFile + ".tmp-"

// removeTempStates removes the temporary files of state writes that never
// reached their rename. state.json holds the last complete write; the VMs a
// lost write recorded are found again by their ownership markers.
func (s *Store) removeTempStates() {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return
	}
	var removed []string
	for _, e := range entries {
		digits, ok := strings.CutPrefix(e.Name(), tempPrefix)
		if !ok {
			digits, ok = strings.CutPrefix(e.Name(), JournalFile+".tmp-")
		}
		if !ok || digits == "" || strings.Trim(digits, "0123456789") != "" || !e.Type().IsRegular() {
			continue
		}
		if err := os.Remove(s.path(e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			s.note("Could not remove %s, a temporary file of an interrupted state write: %v.", s.path(e.Name()), err)
			continue
		}
		removed = append(removed, e.Name())
	}
	if len(removed) > 0 {
		s.note("Removed %s from %s: temporary files of state writes that were interrupted (%s holds the last complete write).",
			strings.Join(removed, ", "), s.dir, StateFile)
	}
}

// repairTail makes f, the open history, end with a complete line and
// returns its size. A last line without its newline was torn by a crash or
// a full disk: it is copied to a side file, history.jsonl.torn-TIME, and cut
// off, so the next record starts on a line of its own. A last line that is a
// whole record and lacks only its newline gets one.
func (s *Store) repairTail(f *os.File) (int64, error) {
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	size := fi.Size()
	start, err := lastLineStart(f, size)
	if err != nil || start == size {
		return size, err
	}
	tail := make([]byte, size-start)
	if _, err := f.ReadAt(tail, start); err != nil {
		return 0, fmt.Errorf("reading the last line of %s: %w", f.Name(), err)
	}
	if bytes.HasPrefix(tail, []byte("{")) && json.Valid(tail) {
		if _, err := f.Write([]byte("\n")); err != nil {
			return 0, fmt.Errorf("ending the last record of %s: %w", f.Name(), err)
		}
		return size + 1, f.Sync()
	}
	side, err := setAside(f.Name(), tail)
	if err != nil {
		return 0, fmt.Errorf("the last line of %s is torn (%d bytes without a line end) and could not be set aside, "+
			"so no record is appended after it: %w", f.Name(), len(tail), err)
	}
	if err := f.Truncate(start); err != nil {
		return 0, fmt.Errorf("cutting the torn last line off %s (it is saved in %s): %w", f.Name(), side, err)
	}
	s.note("The last line of %s was torn (%d bytes without a line end, left by a crash or a full disk); "+
		"it was moved to %s, and the history goes on from the last whole record.", f.Name(), len(tail), side)
	return start, f.Sync()
}

// lastLineStart returns the offset just past the last newline of f's first
// size bytes (0 when there is none): size when f ends with a newline.
func lastLineStart(f *os.File, size int64) (int64, error) {
	buf := make([]byte, 4096)
	for end := size; end > 0; {
		n := min(end, int64(len(buf)))
		if _, err := f.ReadAt(buf[:n], end-n); err != nil {
			return 0, fmt.Errorf("reading %s: %w", f.Name(), err)
		}
		if i := bytes.LastIndexByte(buf[:n], '\n'); i >= 0 {
			return end - n + int64(i) + 1, nil
		}
		end -= n
	}
	return 0, nil
}

// setAside writes a torn line to a new file next to the history.
func setAside(path string, tail []byte) (string, error) {
	side := path + ".torn-" + time.Now().UTC().Format("20060102T150405.000000000Z")
	f, err := os.OpenFile(side, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	_, err = f.Write(tail)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(side)
		return "", err
	}
	return side, nil
}
