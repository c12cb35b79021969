package sim

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// The format versions of the JSON file sim-NAME.json. Version 1 is the
// whole cluster, as NovaCron wrote it before the compact snapshot; version
// 2 only names the compact snapshot, so that a NovaCron that reads only
// version 1 refuses the cluster instead of taking it for an empty one.
const (
	jsonVersion    = 1
	pointerVersion = 2
)

// jsonSnapshot is the whole cluster as a JSON snapshot of version 1 stores it.
type jsonSnapshot struct {
	Version int          `json:"version"`
	LastID  int64        `json:"last_id"`
	Hosts   []hostRecord `json:"hosts"`
	VMs     []vmRecord   `json:"vms"`
}

// pointer is the JSON file of version 2.
type pointer struct {
	Version  int    `json:"version"`
	Snapshot string `json:"snapshot"`
}

// decodeJSON returns the cluster of a version 1 JSON snapshot.
func decodeJSON(data []byte) (*cluster, error) {
	var s jsonSnapshot
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, err
	}
	switch s.Version {
	case jsonVersion:
	case pointerVersion:
		return nil, fmt.Errorf("the compact snapshot it names is missing")
	default:
		return nil, fmt.Errorf("format version %d; this NovaCron reads versions %d and %d: upgrade nova-plan to read it",
			s.Version, jsonVersion, pointerVersion)
	}
	c := newCluster()
	c.lastID = s.LastID
	c.order = make([]*vmRecord, 0, len(s.VMs))
	for i := range s.VMs {
		c.put(&s.VMs[i])
	}
	c.setHosts(fromHostRecords(s.Hosts))
	return c, nil
}

// encodeJSON returns c as a version 1 JSON snapshot, VMs in ID order.
func encodeJSON(c *cluster) ([]byte, error) {
	vms := make([]vmRecord, len(c.records()))
	for i, vm := range c.order {
		vms[i] = *vm
	}
	return json.Marshal(jsonSnapshot{
		Version: jsonVersion,
		LastID:  c.lastID,
		Hosts:   toHostRecords(c.hostList()),
		VMs:     vms,
	})
}

// pointerJSON returns the version 2 file naming the compact snapshot.
func pointerJSON(snapshot string) []byte {
	data, _ := json.Marshal(pointer{Version: pointerVersion, Snapshot: filepath.Base(snapshot)})
	return append(data, '\n')
}

// maxPointerSize bounds what isPointer reads: a larger file is a snapshot.
const maxPointerSize = 4096

// isPointer reports whether the file at path is a version 2 JSON file.
func isPointer(path string) bool {
	fi, err := os.Stat(path)
	if err != nil || fi.Size() > maxPointerSize {
		return false
	}
	data, err := os.ReadFile(path)
	var p pointer
	return err == nil && json.Unmarshal(data, &p) == nil && p.Version == pointerVersion
}
