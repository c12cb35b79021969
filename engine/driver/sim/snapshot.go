package sim

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// loadSnapshot reads the cluster the snapshot files hold: the compact
// snapshot when there is one, else a JSON snapshot of format version 1
// (read as it is: the first save, after a change, upgrades it), else an
// empty cluster. The cluster is marked unsaved when its files need writing
// even if nothing changes: a new cluster, or a save a crash interrupted.
func loadSnapshot(paths files) (*cluster, error) {
	c, err := readCompact(paths.snapshot)
	if errors.Is(err, fs.ErrNotExist) {
		return loadLegacy(paths)
	}
	if err != nil {
		return nil, err
	}
	c.unsaved = !isPointer(paths.legacy) // a crash between the two writes of a save
	return c, nil
}

// loadLegacy reads the JSON file at paths.legacy when there is no compact
// snapshot: a missing file is an empty cluster, a version 1 snapshot the
// cluster it holds, and a pointer to a compact snapshot that is gone an
// error. A version 1 snapshot is left as it is until the cluster changes,
// so that a command that only reads writes nothing and the NovaCron that
// wrote it can still open it.
func loadLegacy(paths files) (*cluster, error) {
	data, err := os.ReadFile(paths.legacy)
	if errors.Is(err, fs.ErrNotExist) {
		c := newCluster()
		c.unsaved = true
		return c, nil
	}
	if err != nil {
		return nil, err
	}
	c, err := decodeJSON(data)
	if err != nil {
		return nil, fmt.Errorf("reading snapshot %s: %w", paths.legacy, err)
	}
	return c, nil
}

// saveSnapshot writes c to the compact snapshot and, unless it is already
// there, the pointer to it in the JSON file; the caller holds the lock and
// nothing changes c meanwhile.
func saveSnapshot(paths files, c *cluster) error {
	data, err := encodeCompact(c)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(paths.snapshot, data); err != nil {
		return err
	}
	if isPointer(paths.legacy) {
		return nil
	}
	return writeFileAtomic(paths.legacy, pointerJSON(paths.snapshot))
}

// removeTempSnapshots removes what a process that died while writing the
// snapshot files left behind; the caller holds the lock.
func removeTempSnapshots(paths files) {
	for _, path := range []string{paths.snapshot, paths.legacy} {
		dir, prefix := filepath.Split(path)
		entries, _ := os.ReadDir(dir) // nothing to clean in a folder we cannot read
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), prefix+".tmp") {
				os.Remove(filepath.Join(dir, e.Name()))
			}
		}
	}
}

// writeFileAtomic replaces path with data: it writes a temporary file in the
// same folder, syncs it and renames it over path, so a reader sees the old
// file or the new one, never a part.
func writeFileAtomic(path string, data []byte) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
