package workspace

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

// SaveError is an apply whose state could not be saved. The executor
// stopped starting changes when saving first failed and let those in flight
// finish; the state as the apply left them was written to a recovery file.
type SaveError struct {
	Err error // why the state could not be saved
	// Recovery is the file that holds the state as the apply left it, or
	// "" when RecoveryErr says why it could not be written anywhere.
	Recovery    string
	RecoveryErr error
	// StateFile is the file to restore Recovery to ("" for a backend that
	// keeps no file).
	StateFile string
	// Workspace is the workspace the apply ran in: the restore command
	// names it.
	Workspace string
	// Invalid is set when the recovery document itself fails
	// state.Validate: it must be repaired before it is restored.
	Invalid error
}

func (e *SaveError) Error() string {
	if e.Recovery == "" {
		return fmt.Sprintf("saving state failed: %v; writing a recovery file failed too: %v", e.Err, e.RecoveryErr)
	}
	return fmt.Sprintf("saving state failed: %v; the state as the apply left it is in %s", e.Err, e.Recovery)
}

func (e *SaveError) Unwrap() error { return e.Err }

// saveFailed writes the state as the apply left it to a recovery file,
// with a serial above any written, so that restoring it outdates saved
// plans made before.
func (s *Session) saveFailed(err error, st *state.State) *SaveError {
	doc := st.Clone()
	doc.Serial++
	se := &SaveError{Err: err, Invalid: state.Validate(doc), Workspace: s.ws.Name}
	if ls, ok := s.ws.Store.(*local.Store); ok {
		se.StateFile = filepath.Join(ls.Dir(), local.StateFile)
	}
	se.Recovery, se.RecoveryErr = s.ws.writeRecovery(doc)
	return se
}

// writeRecovery writes doc next to the state, or, when that fails too (the
// disk is full), to the system's temporary folder; sealed as the state is.
func (w *Workspace) writeRecovery(doc *state.State) (string, error) {
	dataDir := w.DataDir
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return "", err
	}
	data = append(data, '\n')
	if data, err = w.sealRecovery(data); err != nil {
		return "", err
	}
	stamp := time.Now().UTC().Format("20060102T150405Z")
	path, err := writeNew(dataDir, "state.recovery-"+stamp+"-*.json", data)
	if err == nil {
		return path, nil
	}
	tmpPath, tmpErr := writeNew(os.TempDir(), "nova-state.recovery-"+stamp+"-*.json", data)
	if tmpErr != nil {
		return "", errors.Join(err, tmpErr)
	}
	return tmpPath, nil
}

// writeNew writes data to a new file (mode 0600) in dir, named by pattern
// as os.CreateTemp names files, and syncs it.
func writeNew(dir, pattern string, data []byte) (string, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return "", err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err // an *fs.PathError names the file
	}
	return f.Name(), nil
}
