package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// snapshotVersion is the format version of the snapshot files this package
// writes; it refuses to read newer ones.
const snapshotVersion = 1

// snapshot is the whole cluster as the snapshot file stores it.
type snapshot struct {
	Version int          `json:"version"`
	LastID  int64        `json:"last_id"`
	Hosts   []hostRecord `json:"hosts"`
	VMs     []vmRecord   `json:"vms"`
}

// loadSnapshot reads the snapshot at path into a new cluster; a missing
// file is an empty cluster.
func loadSnapshot(path string) (*cluster, error) {
	c := newCluster()
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, err
	}
	var s snapshot
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("reading snapshot %s: %w", path, err)
	}
	if s.Version != snapshotVersion {
		return nil, fmt.Errorf("snapshot %s has format version %d; this NovaCron reads version %d",
			path, s.Version, snapshotVersion)
	}
	c.lastID = s.LastID
	c.vms = make(map[string]*vmRecord, len(s.VMs))
	c.order = make([]*vmRecord, 0, len(s.VMs))
	for i := range s.VMs {
		c.put(&s.VMs[i])
	}
	c.setHosts(fromHostRecords(s.Hosts))
	return c, nil
}

// toSnapshot returns the cluster as a snapshot with VMs in ID order.
func (c *cluster) toSnapshot() snapshot {
	vms := make([]vmRecord, len(c.order))
	for i, vm := range c.order {
		vms[i] = *vm
	}
	return snapshot{
		Version: snapshotVersion,
		LastID:  c.lastID,
		Hosts:   toHostRecords(c.hostList()),
		VMs:     vms,
	}
}

// removeTempSnapshots removes what a process that died while writing the
// snapshot at path left behind; the caller holds the lock.
func removeTempSnapshots(path string) {
	dir, prefix := filepath.Split(path)
	entries, _ := os.ReadDir(dir) // nothing to clean in a folder we cannot read
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix+".tmp") {
			os.Remove(filepath.Join(dir, e.Name()))
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
