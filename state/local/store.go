package local

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

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
	dir string

	mu    sync.Mutex
	held  map[string]*os.File // lock ID → open lock file holding the flock
	notes []string            // repairs not yet reported (Repairs)
}

var _ state.Store = (*Store)(nil)

// New returns a store over dir, the workspace's .nova folder. Nothing is
// created until the first Write, Lock or AppendHistory.
func New(dir string) *Store {
	return &Store{dir: dir, held: map[string]*os.File{}}
}

// Dir returns the folder the store keeps its files in.
func (s *Store) Dir() string { return s.dir }

func (s *Store) path(name string) string { return filepath.Join(s.dir, name) }

// Read returns the stored document, or (nil, nil) when there is none yet.
func (s *Store) Read(ctx context.Context) (*state.State, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	path := s.path(StateFile)
	data, err := regularfile.Read(path, MaxStateBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err // an *fs.PathError: "open PATH: …" names the file
	}
	return decodeState(path, data)
}

// Write replaces the stored document atomically. The directory is created
// (mode 0700) if needed and the file is written with mode 0600. s must be
// of the format this build writes (state.New makes one) and pass
// state.Validate.
func (s *Store) Write(ctx context.Context, st *state.State) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if st.FormatVersion != state.FormatVersion {
		return fmt.Errorf("refusing to write format_version %d; this build writes format_version %d (build documents with state.New)",
			st.FormatVersion, state.FormatVersion)
	}
	var invalid *state.InvalidError
	if err := state.Validate(st); errors.As(err, &invalid) {
		return fmt.Errorf("refusing to write a state document that could not be read back:%s", invalid.List())
	}
	data, err := state.Encode(st)
	if err != nil {
		return fmt.Errorf("encoding state: %w", err)
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return err
	}
	return writeAtomic(s.path(StateFile), data)
}

// Overwrite is Write without the lineage and serial rules.
func (s *Store) Overwrite(ctx context.Context, st *state.State) error {
	return s.Write(ctx, st)
}
