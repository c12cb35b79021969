package local

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/novacron/novacron/internal/regularfile"
	"github.com/novacron/novacron/state"
)

// JournalFile holds the changes written since state.json (WriteDelta):
// a header line naming the state.json it follows by the SHA-256 of its
// stored bytes, then one change record per line (encodeRecord), sealed
// like the document when the store has a sealer.
const JournalFile = "state.journal"

var _ state.DeltaStore = (*Store)(nil)

// journalHeader is the journal's first line.
type journalHeader struct {
	Version        int    `json:"novacron_journal"`
	SnapshotSHA256 string `json:"snapshot_sha256"`
}

// stored is what the store knows of its files: the identity of state.json
// and the document it and the journal hold together. It is kept between
// writes and trusted while state.json and the journal are the same files
// of the same sizes.
type stored struct {
	snap    fs.FileInfo
	lineage string
	serial  uint64 // of the last change record, or of state.json
	hash    string // SHA-256 of state.json's bytes; "" until needed
	journal int64  // bytes of the journal that follows state.json; 0: none
	// changes counts the VM records the journal's records set or remove
	// (-1: unknown, for a journal this store did not write).
	changes int
}

// snapshotHash returns the hex SHA-256 of a stored state.json.
func snapshotHash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// current returns what is stored, or nil when no document is; s.writeMu
// and the folder's flock must be held. It reads the whole of state.json
// and the journal only when its knowledge is out of date and a journal
// exists (after a crash, or another process's write); a torn last record
// is set aside then, as Lock would.
func (s *Store) current() (*stored, error) {
	fi, err := os.Stat(s.path(StateFile))
	if errors.Is(err, fs.ErrNotExist) {
		s.known = nil
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	jsize := int64(0)
	if jfi, err := os.Stat(s.path(JournalFile)); err == nil {
		jsize = jfi.Size()
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if k := s.known; k != nil && os.SameFile(k.snap, fi) && k.snap.Size() == fi.Size() &&
		k.snap.ModTime().Equal(fi.ModTime()) && k.journal == jsize {
		return k, nil
	}
	s.known = nil
	var k *stored
	if jsize == 0 {
		h, ok, err := s.storedHead()
		if err != nil || !ok {
			return nil, err
		}
		k = &stored{snap: fi, lineage: h.lineage, serial: h.serial}
	} else if k, err = s.loadJournal(fi); err != nil {
		return nil, err
	}
	s.known = k
	return k, nil
}

// loadJournal reads state.json and the journal whole: the lineage and
// serial they hold together, a torn last record cut off (and set aside), a
// stale journal (of an earlier state.json, left by a write that crashed
// before removing it) counted as none.
func (s *Store) loadJournal(fi fs.FileInfo) (*stored, error) {
	path := s.path(StateFile)
	data, err := regularfile.Read(path, MaxStateBytes)
	if err != nil {
		return nil, err
	}
	jdata, err := regularfile.Read(s.path(JournalFile), MaxStateBytes)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	st, err := s.readJournaled(path, data, jdata, true)
	if err != nil {
		return nil, fmt.Errorf("refusing to write over a state that cannot be read, since its lineage and serial cannot be checked: %w", err)
	}
	k := &stored{snap: fi, lineage: st.doc.Lineage, serial: st.doc.Serial, hash: snapshotHash(data), journal: st.journal, changes: -1}
	return k, nil
}

// journaled is a document read with its journal.
type journaled struct {
	doc     *state.State
	journal int64 // bytes of the journal that follow the document; 0: none (or stale)
	applied int   // change records applied
}

// readJournaled decodes state.json's stored bytes data and applies the
// change records of jdata, the journal's bytes (nil: none). repair cuts off a torn last record (setting it
// aside, as Lock does); without it the record is skipped. A stale journal
// is ignored. Each record is opened with the store's sealer, like the
// document, and the result is validated whole.
func (s *Store) readJournaled(path string, data, jdata []byte, repair bool) (*journaled, error) {
	plain, err := s.open(path, data)
	if err != nil {
		return nil, err
	}
	doc, err := decodeState(path, plain)
	if err != nil {
		return nil, err
	}
	s.noteSize(len(plain), len(doc.VMs))
	jpath := s.path(JournalFile)
	if jdata == nil {
		return &journaled{doc: doc}, nil
	}
	first, rest, ok := bytes.Cut(jdata, []byte("\n"))
	h, err := s.readHeader(jpath, path, first, ok, jdata, doc)
	if err != nil {
		return nil, err
	}
	if !ok || h.SnapshotSHA256 != snapshotHash(data) {
		// Stale (state.json is its compaction: a write crashed before
		// removing it) unless a record is newer than state.json.
		if err := s.checkStale(jpath, path, jdata, doc); err != nil {
			return nil, err
		}
		return &journaled{doc: doc}, nil
	}
	end := len(first) + 1
	applied := 0
	for n := 2; len(rest) > 0; n++ {
		line, more, whole := bytes.Cut(rest, []byte("\n"))
		if !whole {
			if repair {
				if err := s.cutTornRecord(jpath, int64(end), line); err != nil {
					return nil, err
				}
			}
			break
		}
		d, err := s.decodeRecord(jpath, n, line, doc, h.Version >= journalVersion)
		if err != nil {
			return nil, err
		}
		d.Apply(doc)
		applied++
		end += len(line) + 1
		rest = more
	}
	if applied > 0 {
		var invalid *state.InvalidError
		if err := state.Validate(doc); errors.As(err, &invalid) {
			invalid.Source = "the state file " + path + " with the changes in " + jpath
			return nil, invalid
		} else if err != nil {
			return nil, err
		}
	}
	return &journaled{doc: doc, journal: int64(end), applied: applied}, nil
}

// checkStale refuses a journal that does not follow state.json (its
// header names another state.json, or cannot be read) when it may hold
// changes state.json lacks: a record newer than state.json, or a line that
// cannot be read as a record of its lineage. Such a journal was written
// before state.json was replaced (by a release that does not read the
// journal, or by restoring a copy); removing it would lose VMs, so it is
// left for the user. A journal whose every record is in state.json already
// (a write crashed after the compaction, before removing it) is stale.
func (s *Store) checkStale(jpath, path string, jdata []byte, doc *state.State) error {
	newest, unreadable := s.scanRecords(jdata, doc)
	if newest <= doc.Serial && unreadable == 0 {
		return nil
	}
	why := fmt.Sprintf("it holds changes up to serial %d, newer than %s's serial %d", newest, path, doc.Serial)
	if newest <= doc.Serial {
		why = fmt.Sprintf("line %d cannot be read as a change of %s's lineage, so it may hold changes newer than %s", unreadable, path, path)
	}
	return fmt.Errorf("the state journal %s does not follow %s, but %s: %s was replaced after the journal was written "+
		"(by a NovaCron release that does not read the journal, or by restoring a copy). Nothing was changed. "+
		"To keep the journal's changes, put back the %s they follow; to drop them, move %s away "+
		"(the VMs they recorded are found again by their ownership markers)",
		jpath, path, why, path, filepath.Base(path), jpath)
}

// scanRecords returns the newest serial of the journal's readable records
// of doc's lineage, and the last line that is not one (0: none; a header
// line is not counted).
func (s *Store) scanRecords(jdata []byte, doc *state.State) (newest uint64, unreadable int) {
	for n, rest := 1, jdata; len(rest) > 0; n++ {
		line, more, whole := bytes.Cut(rest, []byte("\n"))
		rest = more
		if !whole {
			break // a torn last record: never applied
		}
		plain, err := state.OpenStored(s.sealer, line)
		var d *state.Delta
		if err == nil {
			d, err = decodeRecordLine(plain, doc.Lineage, false)
		}
		switch {
		case err == nil:
			newest = max(newest, d.Serial)
		case n > 1 || !bytes.Contains(line, []byte("snapshot_sha256")):
			unreadable = n
		}
	}
	return newest, unreadable
}

// decodeRecord opens, checks and decodes line n of the journal, a change
// record of doc's lineage that must follow doc's serial; strict: the
// journal's records carry their lineage and checksum (version 2).
func (s *Store) decodeRecord(jpath string, n int, line []byte, doc *state.State, strict bool) (*state.Delta, error) {
	plain, err := state.OpenStored(s.sealer, line)
	if errors.Is(err, state.ErrNoKey) {
		return nil, fmt.Errorf("reading line %d of the state journal %s: %w", n, jpath, err)
	}
	var d *state.Delta
	if err == nil {
		d, err = decodeRecordLine(plain, doc.Lineage, strict)
	}
	if err == nil && d.Serial <= doc.Serial {
		err = fmt.Errorf("its serial %d does not follow %d", d.Serial, doc.Serial)
	}
	if err != nil {
		return nil, fmt.Errorf("the state journal %s is damaged at line %d: %v. "+
			"It was left untouched; restore the state from a backup, or remove the journal to go back to %s (the VMs it recorded are found again by their ownership markers)",
			jpath, n, err, s.path(StateFile))
	}
	return d, nil
}

// cutTornRecord sets aside the torn last record of the journal (bytes
// without a line end, left by a crash or a full disk) and cuts it off at
// end, then reports it.
func (s *Store) cutTornRecord(jpath string, end int64, tail []byte) error {
	side, err := setAside(jpath, tail)
	if err != nil {
		return fmt.Errorf("the last record of %s is torn and could not be set aside: %w", jpath, err)
	}
	if err := os.Truncate(jpath, end); err != nil {
		return fmt.Errorf("cutting the torn last record off %s (it is saved in %s): %w", jpath, side, err)
	}
	s.note("The last change record of %s was torn (%d bytes without a line end, left by a crash or a full disk); "+
		"it was moved to %s, and the state goes on from the last whole record.", jpath, len(tail), side)
	return nil
}

// openJournal opens the journal for Read, before state.json is read: a
// compaction that replaces state.json meanwhile leaves this journal stale
// (its header names the state.json before), and one that has not yet
// happened leaves state.json and this journal together. nil when there is
// no journal.
func (s *Store) openJournal() (*os.File, error) {
	path := s.path(JournalFile)
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = &regularfile.NotRegularError{Path: path, Mode: fi.Mode()}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// readJournal reads the journal opened by openJournal, up to MaxStateBytes.
func readJournal(f *os.File) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(f, MaxStateBytes+1))
	if err == nil && len(data) > MaxStateBytes {
		err = &regularfile.TooLargeError{Path: f.Name(), Limit: MaxStateBytes}
	}
	return data, err
}

// WriteDelta appends d's records to the journal beside state.json (one
// line, synced), or starts a journal when there is none: a reader sees the
// document with or without it. It reports compact once the journal is
// larger than state.json and, past compactFreely, holds more VM records
// than the document (d.VMs, when known): a large journal of new VMs, the
// records of a fresh apply, is folded in once, at its end, while one that
// keeps rewriting the same VMs is compacted as soon as it outgrows
// state.json.
func (s *Store) WriteDelta(ctx context.Context, d *state.Delta) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	var invalid *state.InvalidError
	if err := state.ValidateDelta(d); errors.As(err, &invalid) {
		return false, fmt.Errorf("refusing to write a state change that could not be read back:%s", invalid.List())
	}
	line := encodeRecord(d)
	if len(d.Set) > 0 && len(d.Removed) == 0 { // records as the document has them: size the compaction by them
		s.vmBytes.Store(int64(len(line) / len(d.Set)))
	}
	if s.sealer != nil {
		var err error
		if line, err = s.sealer.Seal(line); err != nil {
			return false, fmt.Errorf("encrypting state: %w", err)
		}
	}
	if bytes.IndexByte(line, '\n') >= 0 {
		return false, errors.New("a state change record must be one line")
	}
	line = append(line, '\n')
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	unlock, err := lockDir(s.dir)
	if err != nil {
		return false, err
	}
	defer unlock()
	k, err := s.current()
	if err != nil || k == nil {
		if err == nil {
			err = state.ErrWriteWhole
		}
		return false, err
	}
	if k.lineage != d.Lineage || k.serial >= d.Serial {
		return false, &state.ConflictError{StoredLineage: k.lineage, StoredSerial: k.serial, WrittenLineage: d.Lineage, WrittenSerial: d.Serial}
	}
	if s.sealer != nil {
		if head, err := readHead(s.path(StateFile)); err != nil {
			return false, err
		} else if !state.IsSealed(head) {
			return false, state.ErrWriteWhole // a plaintext state.json is encrypted by a whole write first
		}
	}
	s.known = nil // until the write is done
	if k.journal == 0 {
		k.changes = 0
		err = s.startJournal(k, line)
	} else {
		err = s.appendRecord(k, line)
	}
	if err != nil {
		return false, err
	}
	k.serial = d.Serial
	s.known = k
	return k.outgrown(d), nil
}

// outgrown reports that the journal, d written, should be folded into
// state.json: it is larger, and either the two are small (below
// compactFreely, where a compaction costs little) or (when d tells the
// document's size) the journal records more VMs than the document holds,
// so that most of it is superseded.
func (k *stored) outgrown(d *state.Delta) bool {
	if k.changes >= 0 {
		k.changes += len(d.Set) + len(d.Removed)
	}
	small := k.snap.Size()+k.journal <= compactFreely
	return k.journal > k.snap.Size() && (small || d.VMs == 0 || k.changes < 0 || k.changes > d.VMs)
}

// compactFreely is the size of state.json and its journal together below
// which the journal is compacted as soon as it outgrows state.json,
// whatever it holds: some 4,000 VMs.
const compactFreely = 1 << 20

// startJournal replaces the journal (none, or a stale one) with a header
// and line, atomically.
func (s *Store) startJournal(k *stored, line []byte) error {
	if k.hash == "" {
		data, err := regularfile.Read(s.path(StateFile), MaxStateBytes)
		if err != nil {
			return err
		}
		k.hash = snapshotHash(data)
	}
	head, _ := json.Marshal(journalHeader{Version: journalVersion, SnapshotSHA256: k.hash})
	data := append(append(head, '\n'), line...)
	tmp, err := writeTemp(s.path(JournalFile), data)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, s.path(JournalFile)); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := syncDir(s.dir); err != nil {
		return err
	}
	k.journal = int64(len(data))
	return nil
}

// appendRecord appends line to the journal and syncs it. A line written in
// part (a full disk) is cut off again, so the journal ends with a whole
// record; what cannot be cut off is cut by the next Lock or write.
func (s *Store) appendRecord(k *stored, line []byte) error {
	path := s.path(JournalFile)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	if _, err = f.Write(line); err == nil {
		err = f.Sync()
	}
	if err != nil {
		_ = f.Truncate(k.journal)
		f.Close()
		return fmt.Errorf("appending to %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	k.journal += int64(len(line))
	return nil
}

// Compact writes st, the stored document with its journal applied, as
// state.json and removes the journal.
func (s *Store) Compact(ctx context.Context, st *state.State) error {
	return s.write(ctx, st, modeCompact)
}

// repairJournal runs under the lock: it removes a stale journal and cuts
// off a torn last record, reporting both. It reports nothing else: a
// journal it cannot read is an error of the read after the lock.
func (s *Store) repairJournal() {
	if _, err := os.Stat(s.path(JournalFile)); err != nil {
		return
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	unlock, err := lockDir(s.dir)
	if err != nil {
		return
	}
	defer unlock()
	s.known = nil
	k, err := s.current()
	if err != nil {
		// Nothing to repair: a journal that cannot be read is left as it
		// is, and the read that follows the lock reports why.
		return
	}
	if k == nil {
		// No state.json for it to follow: set aside, never removed.
		side := s.path(JournalFile) + ".orphan-" + time.Now().UTC().Format("20060102T150405Z")
		if err := os.Rename(s.path(JournalFile), side); err == nil {
			s.note("Set %s aside as %s: there is no %s for its changes to follow.", s.path(JournalFile), side, s.path(StateFile))
		}
		return
	}
	if k.journal == 0 {
		if err := os.Remove(s.path(JournalFile)); err == nil {
			s.note("Removed %s: the changes it held were already in %s (a write was interrupted before it removed the journal).",
				s.path(JournalFile), s.path(StateFile))
			s.known = nil
		}
	}
}
