package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/novacron/novacron/internal/regularfile"
	"github.com/novacron/novacron/state"
)

// File names inside the workspace's .nova folder.
const (
	StateFile   = "state.json"
	LockFile    = "state.lock"
	HistoryFile = "history.jsonl"
)

// MaxStateBytes is the largest state file Read reads: 1 GiB, some ten times
// the state of 100,000 VMs. What is not a regular file is refused.
const MaxStateBytes = 1 << 30

// Store keeps one workspace's state in a directory. It is safe for
// concurrent use.
type Store struct {
	dir       string
	workspace string // the workspace's name, when a Backend made the store
	mustExist bool   // the folder is made by CreateWorkspace, never by a write
	sealer    state.Sealer

	writeMu sync.Mutex // one check-and-replace at a time through this store
	known   *stored    // what is stored, as the last write saw it (writeMu)

	// vmBytes is the bytes per VM of the last encoded document: the next
	// encoding's buffer is sized from it (state.EncodeSized).
	vmBytes atomic.Int64

	mu    sync.Mutex
	held  map[string]*os.File // lock ID → open lock file holding the flock
	notes []string            // repairs not yet reported (Repairs)
}

var _ state.Store = (*Store)(nil)

// Option configures a Store or a Backend.
type Option func(*Store)

// WithSealer makes the store seal (encrypt) every document it writes, and
// open the sealed documents it reads. Without it a sealed document cannot
// be read or written over (state.ErrNoKey).
func WithSealer(s state.Sealer) Option {
	return func(st *Store) { st.sealer = s }
}

// New returns a store over dir, the workspace's .nova folder. Nothing is
// created until the first Write, Lock or AppendHistory.
func New(dir string, opts ...Option) *Store {
	s := &Store{dir: dir, held: map[string]*os.File{}}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Dir returns the folder the store keeps its files in.
func (s *Store) Dir() string { return s.dir }

func (s *Store) path(name string) string { return filepath.Join(s.dir, name) }

// makeDir creates the store's folder (mode 0700) when it may: the folder
// of a workspace other than the default one is made by CreateWorkspace,
// and once it is deleted nothing brings it back.
func (s *Store) makeDir() error {
	if !s.mustExist {
		return os.MkdirAll(s.dir, 0o700)
	}
	fi, err := os.Stat(s.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("workspace %q was deleted (%s no longer exists)", s.workspace, s.dir)
	}
	if err == nil && !fi.IsDir() {
		return fmt.Errorf("%s, the folder of workspace %q, is not a folder", s.dir, s.workspace)
	}
	return err
}

// Read returns the stored document, or (nil, nil) when there is none yet.
func (s *Store) Read(ctx context.Context) (*state.State, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	path := s.path(StateFile)
	jf, err := s.openJournal()
	if err != nil {
		return nil, err
	}
	if jf != nil {
		defer jf.Close()
	} else if st, ok := s.readStreamed(path); ok {
		return st, nil
	}
	data, err := regularfile.Read(path, MaxStateBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err // an *fs.PathError: "open PATH: …" names the file
	}
	if jf != nil {
		jdata, err := readJournal(jf)
		if err != nil {
			return nil, err
		}
		j, err := s.readJournaled(path, data, jdata, false)
		if err != nil {
			return nil, err
		}
		return j.doc, nil
	}
	if data, err = s.open(path, data); err != nil {
		return nil, err
	}
	size := len(data) // data is not live while the state decodes (state.Decode)
	st, err := decodeState(path, data)
	if err == nil {
		s.noteSize(size, len(st.VMs))
	}
	return st, err
}

// readStreamed decodes a plaintext state file as it reads it
// (state.DecodeFrom), so that its text is never held whole. It returns
// false for anything but a readable regular file of a document without a
// problem: Read then reads the text whole, and says what is wrong.
func (s *Store) readStreamed(path string) (*state.State, bool) {
	if s.sealer != nil {
		return nil, false
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > MaxStateBytes {
		return nil, false
	}
	st, ok := state.DecodeFrom(io.LimitReader(f, MaxStateBytes+1), int(fi.Size()))
	if ok {
		s.noteSize(int(fi.Size()), len(st.VMs))
	}
	return st, ok
}

// open returns the plaintext of the stored bytes of path.
func (s *Store) open(path string, data []byte) ([]byte, error) {
	plain, err := state.OpenStored(s.sealer, data)
	if err != nil {
		return nil, fmt.Errorf("reading the state file %s: %w", path, err)
	}
	return plain, nil
}

// Write replaces the stored document atomically. When one is stored, st
// must have its lineage and a greater serial: otherwise Write returns a
// *state.ConflictError and writes nothing. The check costs a read of the
// file's first few KiB, whatever its size (see storedHead), and it is made
// under a flock of the folder, so two writers, in this process or another,
// never both replace the same document. The directory is created (mode
// 0700) if needed and the file is written with mode 0600. st must be of the
// format this build writes (state.New makes one) and pass state.Validate.
func (s *Store) Write(ctx context.Context, st *state.State) error {
	return s.write(ctx, st, modeWrite)
}

// Overwrite is Write without the lineage and serial rules, for `state
// push -force` and `state migrate`: it replaces whatever is stored, even a
// document that cannot be read.
func (s *Store) Overwrite(ctx context.Context, st *state.State) error {
	return s.write(ctx, st, modeOverwrite)
}

// writeMode is the rule a write of the whole document follows.
type writeMode int

const (
	modeWrite     writeMode = iota // the same lineage, a greater serial
	modeOverwrite                  // none
	modeCompact                    // the same lineage and serial
)

// write replaces state.json with st and removes the journal, whose
// changes st holds (or, for Overwrite, replaces): between the rename and
// the removal, the journal names the state.json it followed by its hash,
// so it is not applied to st.
func (s *Store) write(ctx context.Context, st *state.State, mode writeMode) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	data, err := s.encode(st)
	if err != nil {
		return err
	}
	if err := s.makeDir(); err != nil {
		return err
	}
	tmp, err := writeTemp(s.path(StateFile), data)
	if err != nil {
		return err
	}
	if err := s.replace(tmp, st, mode, data); err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(s.dir)
}

// encode checks st and returns the bytes to store.
func (s *Store) encode(st *state.State) ([]byte, error) {
	if st.FormatVersion != state.FormatVersion {
		return nil, fmt.Errorf("refusing to write format_version %d; this build writes format_version %d (build documents with state.New)",
			st.FormatVersion, state.FormatVersion)
	}
	data, err := s.checkAndEncode(st)
	if err != nil {
		return nil, err
	}
	s.noteSize(len(data), len(st.VMs))
	if s.sealer == nil {
		return data, nil
	}
	if data, err = s.sealer.Seal(data); err != nil {
		return nil, fmt.Errorf("encrypting state: %w", err)
	}
	return data, nil
}

// parallelFrom is the number of VMs from which checkAndEncode checks a
// document beside encoding it: some 10 ms of work each, against the
// microseconds a goroutine costs.
const parallelFrom = 10_000

// checkAndEncode returns st checked and encoded. A large document is
// checked by a goroutine while this one encodes it: both only read st, and
// the last write of an apply (its compaction, which the apply waits for)
// then takes the longer of the two, not their sum, when a second core is
// free. The encoding of a document that fails the check is dropped.
func (s *Store) checkAndEncode(st *state.State) ([]byte, error) {
	var checked chan error
	if len(st.VMs) >= parallelFrom {
		checked = make(chan error, 1)
		go func() { checked <- state.Validate(st) }()
	} else if err := checkedDoc(state.Validate(st)); err != nil {
		return nil, err
	}
	data, err := state.EncodeSized(st, s.encodedSize(len(st.VMs)))
	if checked != nil {
		if verr := checkedDoc(<-checked); verr != nil {
			return nil, verr
		}
	}
	if err != nil {
		return nil, fmt.Errorf("encoding state: %w", err)
	}
	return data, nil
}

// checkedDoc turns Validate's answer into the error a write returns.
func checkedDoc(err error) error {
	var invalid *state.InvalidError
	if errors.As(err, &invalid) {
		return fmt.Errorf("refusing to write a state document that could not be read back:%s", invalid.List())
	}
	return err
}

// encodedSize is the size to expect of a document of n VMs, from the
// last one this store encoded, with 1/16 to spare (VMs differ in size).
func (s *Store) encodedSize(n int) int {
	per := int(s.vmBytes.Load())
	size := per * (n + 1)
	return size + size/16
}

// noteSize remembers the size of a plaintext document of n VMs, read or
// encoded, for encodedSize.
func (s *Store) noteSize(size, n int) {
	s.vmBytes.Store(int64(size / (n + 1)))
}

// replace renames tmp over the state file, after checking st against the
// stored document when checked. The folder's flock makes the check and the
// rename one step for every Store over the folder.
func (s *Store) replace(tmp string, st *state.State, mode writeMode, data []byte) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	unlock, err := lockDir(s.dir)
	if err != nil {
		return err
	}
	defer unlock()
	if mode != modeOverwrite {
		if err := s.checkStored(st, mode); err != nil {
			return err
		}
	}
	s.known = nil
	if err := os.Rename(tmp, s.path(StateFile)); err != nil {
		return err
	}
	if err := os.Remove(s.path(JournalFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil // a stale journal is never applied; Lock removes it
	}
	if fi, err := os.Stat(s.path(StateFile)); err == nil {
		s.known = &stored{snap: fi, lineage: st.Lineage, serial: st.Serial, hash: snapshotHash(data)}
	}
	return nil
}

// checkStored returns a *state.ConflictError when a stored document (with
// its journal) has another lineage than st, or a serial not below st's
// (for a compaction: not equal to st's).
func (s *Store) checkStored(st *state.State, mode writeMode) error {
	k, err := s.current()
	if err != nil || k == nil {
		return err
	}
	bad := k.serial >= st.Serial
	if mode == modeCompact {
		bad = k.serial != st.Serial
	}
	if k.lineage != st.Lineage || bad {
		return &state.ConflictError{StoredLineage: k.lineage, StoredSerial: k.serial,
			WrittenLineage: st.Lineage, WrittenSerial: st.Serial}
	}
	return nil
}

// storedHead returns the lineage and serial of the stored document, and
// false when there is none. It reads only the head of a plaintext file
// that state.Encode wrote; a sealed one is opened whole (decrypting is
// cheap next to decoding), and a document of another shape (edited by
// hand) is decoded whole. One that cannot be read is an error: Write never
// replaces what it cannot check.
func (s *Store) storedHead() (head, bool, error) {
	path := s.path(StateFile)
	data, err := readHead(path)
	if errors.Is(err, fs.ErrNotExist) {
		return head{}, false, nil
	}
	if err != nil {
		return head{}, false, err
	}
	if s.sealer == nil && !state.IsSealed(data) {
		if h, ok := parseHead(data, state.FormatVersion); ok {
			return h, true, nil
		}
	}
	if data, err = regularfile.Read(path, MaxStateBytes); err != nil {
		return head{}, false, err
	}
	if data, err = s.open(path, data); err != nil {
		return head{}, false, err
	}
	if h, ok := parseHead(data, state.FormatVersion); ok {
		return h, true, nil
	}
	doc, err := decodeState(path, data)
	if err != nil {
		return head{}, false, fmt.Errorf("refusing to replace a state file that cannot be read, since its lineage and serial cannot be checked: %w", err)
	}
	return head{lineage: doc.Lineage, serial: doc.Serial}, true, nil
}
