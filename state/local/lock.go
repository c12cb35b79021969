package local

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/novacron/novacron/state"
)

// pollInterval is how often Lock retries a lock held by someone else.
const pollInterval = 100 * time.Millisecond

// Lock takes the workspace lock, retrying every 100ms until ctx is done; it
// then returns a *state.LockedError naming the holder. A lock file left by a
// holder that died is taken over. Lock fills in info.ID (when empty),
// info.Path, info.PID (when zero) and info.Created (when zero), and writes
// info into the lock file. The lock is not re-entrant: a second Lock, even
// through the same Store, waits like any other. Once it holds the lock it
// repairs what an interrupted writer left behind (see repair); Repairs says
// what it did.
func (s *Store) Lock(ctx context.Context, info state.LockInfo) (string, error) {
	if err := s.makeDir(); err != nil {
		return "", fmt.Errorf("state/local: %w", err)
	}
	info = s.completeInfo(info)
	holder := &state.LockedError{Holder: state.LockInfo{Path: info.Path}}
	for {
		f, err := tryLock(info.Path)
		if err != nil {
			return "", err
		}
		if f != nil {
			if err := s.keep(f, info); err != nil {
				return "", err
			}
			s.repair(ctx)
			return info.ID, nil
		}
		holder = readHolder(info.Path, holder)
		select {
		case <-ctx.Done():
			return "", holder
		case <-time.After(pollInterval):
		}
	}
}

func (s *Store) completeInfo(info state.LockInfo) state.LockInfo {
	if info.ID == "" {
		info.ID = newLockID()
	}
	if info.PID == 0 {
		info.PID = os.Getpid()
	}
	if info.Created.IsZero() {
		info.Created = time.Now().UTC().Truncate(time.Second)
	}
	info.Path = s.path(LockFile)
	if s.workspace != "" {
		info.Workspace = s.workspace
	}
	return info
}

// tryLock opens the lock file and takes its flock without waiting. It
// returns (nil, nil) when someone else holds it. After taking the flock it
// checks that the path still names the file it locked: if the holder
// removed it meanwhile (Unlock, ForceUnlock) it tries again on the new file.
func tryLock(path string) (*os.File, error) {
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("state/local: opening lock file: %w", err)
		}
		ok, err := flockExclusive(f)
		if err != nil || !ok {
			f.Close()
			return nil, err
		}
		if isCurrent(f, path) {
			return f, nil
		}
		f.Close()
	}
}

// isCurrent reports whether path still names the open file f.
func isCurrent(f *os.File, path string) bool {
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	pi, err := os.Stat(path)
	return err == nil && os.SameFile(fi, pi)
}

// keep writes info into the locked file and remembers it for Unlock.
func (s *Store) keep(f *os.File, info state.LockInfo) error {
	if err := writeInfo(f, info); err != nil {
		os.Remove(info.Path)
		f.Close()
		return err
	}
	s.mu.Lock()
	s.held[info.ID] = f
	s.mu.Unlock()
	return nil
}

func writeInfo(f *os.File, info state.LockInfo) error {
	data, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return fmt.Errorf("state/local: encoding lock info: %w", err)
	}
	data = append(data, '\n')
	if err := f.Truncate(0); err != nil {
		return fmt.Errorf("state/local: writing lock file: %w", err)
	}
	if _, err := f.WriteAt(data, 0); err != nil {
		return fmt.Errorf("state/local: writing lock file: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("state/local: syncing lock file: %w", err)
	}
	return nil
}

// readHolder returns the error that names the lock's holder from the
// lock file, or last when the file is gone. A record that does not name
// a holder (empty: its holder may still be writing it; or not NovaCron's)
// makes an error that says so, which the next poll may replace.
func readHolder(path string, last *state.LockedError) *state.LockedError {
	data, err := os.ReadFile(path)
	if err != nil {
		return last
	}
	abs, aerr := filepath.Abs(path)
	if aerr != nil {
		abs = path
	}
	unnamed := &state.LockedError{Holder: state.LockInfo{Path: abs}}
	var info state.LockInfo
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		unnamed.Unnamed = "the lock file is empty"
	case json.Unmarshal(data, &info) != nil:
		unnamed.Unnamed = "the lock file does not hold a NovaCron lock record"
	case info.ID == "":
		unnamed.Unnamed = "the lock file's record has no lock ID"
	default:
		info.Path = path
		return &state.LockedError{Holder: info}
	}
	return unnamed
}

// decodeInfo reads the lock record of an open lock file; a file that holds
// none (empty, or not NovaCron's) is an error that says how to remove it.
func decodeInfo(f *os.File) (state.LockInfo, error) {
	var info state.LockInfo
	data, err := io.ReadAll(f)
	if err == nil && json.Unmarshal(data, &info) == nil && info.ID != "" {
		info.Path = f.Name()
		return info, nil
	}
	abs, aerr := filepath.Abs(f.Name())
	if aerr != nil {
		abs = f.Name()
	}
	return info, fmt.Errorf("the lock file %s is damaged or not NovaCron's: it names no lock ID. "+
		"If no nova-plan runs for this workspace, remove it (rm %s)", abs, abs)
}

// Unlock releases a lock taken through this Store: it removes the lock file
// and then closes it, which releases the flock.
func (s *Store) Unlock(id string) error {
	f, err := s.release(id)
	if err != nil {
		return err
	}
	path := s.path(LockFile)
	current := isCurrent(f, path)
	if current {
		os.Remove(path)
	}
	f.Close()
	if !current {
		return fmt.Errorf("state/local: lock %s was force-unlocked while it was held", id)
	}
	return nil
}

// release forgets the lock id and returns its file.
func (s *Store) release(id string) (*os.File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.held[id]
	if !ok {
		return nil, fmt.Errorf("state/local: lock ID %q is not held through this store (it holds %q)",
			id, slices.Sorted(maps.Keys(s.held)))
	}
	delete(s.held, id)
	return f, nil
}

// ForceUnlock removes the lock file if the lock it names has the given id,
// whoever holds it.
func (s *Store) ForceUnlock(id string) error {
	path := s.path(LockFile)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("state/local: no lock is held (%s does not exist)", path)
	}
	if err != nil {
		return fmt.Errorf("state/local: %w", err)
	}
	defer f.Close()
	info, err := decodeInfo(f)
	if err != nil {
		return err
	}
	if info.ID != id {
		return fmt.Errorf("state/local: lock ID %q does not match the lock held: ID %q, by %s (operation %q, pid %d)",
			id, info.ID, info.Who, info.Operation, info.PID)
	}
	if isCurrent(f, path) { // not replaced since we read it
		os.Remove(path)
	}
	if held, err := s.release(id); err == nil {
		held.Close()
	}
	return nil
}

// newLockID returns a random UUID (version 4).
func newLockID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
