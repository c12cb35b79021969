package sim

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// loadSnapshot reads the cluster the snapshot files hold. The JSON file
// sim-NAME.json is read first and its version checked: a pointer (version
// 2) must name this provider's compact snapshot, which is then read; a
// version 1 file is the whole cluster, unless a compact snapshot is beside
// it (a save a crash interrupted between its two writes: the compact
// snapshot is the newer); no JSON file is a new cluster, or the first save
// of one interrupted. A newer version, or one NovaCron never wrote, is an
// error and nothing is written. The cluster is marked unsaved when its
// files need writing even if nothing changes: a new cluster, or a save a
// crash interrupted.
func loadSnapshot(paths files) (*cluster, error) {
	data, err := os.ReadFile(paths.legacy)
	if errors.Is(err, fs.ErrNotExist) {
		return loadCompactOrNew(paths)
	}
	if err != nil {
		return nil, err
	}
	h, err := readJSONHeader(data, filepath.Base(paths.snapshot))
	if err != nil {
		return nil, fmt.Errorf("reading snapshot %s: %w", paths.legacy, err)
	}
	if h.Version == pointerVersion {
		c, err := readCompact(paths.snapshot)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("reading snapshot %s: the compact snapshot it names is missing (%s)", paths.legacy, filepath.Base(paths.snapshot))
		}
		return c, err
	}
	c, err := readCompact(paths.snapshot) // version 1
	switch {
	case err == nil:
		c.unsaved = true // a crash between the two writes of the first save
		return c, nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	c, err = decodeJSON(data)
	if err != nil {
		return nil, fmt.Errorf("reading snapshot %s: %w", paths.legacy, err)
	}
	c.legacy = true
	return c, nil
}

// loadCompactOrNew reads the compact snapshot when there is no JSON file
// (the first save of a new cluster, interrupted before its pointer was
// written), else returns an empty cluster; either is unsaved.
func loadCompactOrNew(paths files) (*cluster, error) {
	c, err := readCompact(paths.snapshot)
	if errors.Is(err, fs.ErrNotExist) {
		c, err = newCluster(), nil
	}
	if err != nil {
		return nil, err
	}
	c.unsaved = true
	return c, nil
}

// saveSnapshot writes c to the compact snapshot and, unless it is already
// there, the pointer to it in the JSON file; the caller holds the lock and
// nothing changes c meanwhile.
func saveSnapshot(paths files, c *cluster) error {
	if err := writeAtomic(paths.snapshot, func(w io.Writer) error { return encodeCompact(w, c) }); err != nil {
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

// writeFileAtomic replaces path with data (see writeAtomic).
func writeFileAtomic(path string, data []byte) error {
	return writeAtomic(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeAtomic replaces path with what write writes: it writes a temporary
// file in the same folder through a buffer, syncs it and renames it over
// path, so a reader sees the old file or the new one, never a part.
func writeAtomic(path string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	w := bufio.NewWriterSize(tmp, 64<<10)
	err = write(w)
	if err == nil {
		err = w.Flush() // after a failed write it would return the same error again
	}
	if err != nil {
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
