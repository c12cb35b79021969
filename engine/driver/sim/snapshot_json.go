package sim

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
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
	if s.Version != jsonVersion {
		return nil, fmt.Errorf("format version %d, not %d", s.Version, jsonVersion)
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

// jsonHeader is what loadSnapshot reads of sim-NAME.json before it trusts
// it: the version, and the snapshot a pointer names.
type jsonHeader struct {
	Version  int
	Snapshot string
}

// readJSONHeader checks the version of a sim-NAME.json and, for a pointer,
// that it names snapshot. A version NovaCron never wrote (not a positive
// integer, or missing) and a pointer to another file are damaged; a
// version above the pointer's is newer than this NovaCron.
func readJSONHeader(data []byte, snapshot string) (jsonHeader, error) {
	var raw struct {
		Version  json.RawMessage `json:"version"`
		Snapshot json.RawMessage `json:"snapshot"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return jsonHeader{}, fmt.Errorf("damaged: not the simulator's JSON file (%v)", err)
	}
	v, err := strconv.ParseInt(string(raw.Version), 10, 64)
	switch {
	case raw.Version == nil:
		return jsonHeader{}, fmt.Errorf("damaged: it has no format version")
	case err != nil || v < jsonVersion:
		return jsonHeader{}, fmt.Errorf("damaged: format version %s is not a version NovaCron writes (%d or %d)", raw.Version, jsonVersion, pointerVersion)
	case v > pointerVersion:
		return jsonHeader{}, fmt.Errorf("format version %d; this NovaCron reads versions %d and %d: upgrade nova-plan to read it",
			v, jsonVersion, pointerVersion)
	}
	h := jsonHeader{Version: int(v)}
	if h.Version != pointerVersion {
		return h, nil
	}
	if err := json.Unmarshal(raw.Snapshot, &h.Snapshot); err != nil || h.Snapshot != snapshot {
		return jsonHeader{}, fmt.Errorf("damaged: it names the snapshot %s, not %s", orNothing(raw.Snapshot), snapshot)
	}
	return h, nil
}

// orNothing renders a JSON value for a message: "nothing" when it is absent.
func orNothing(v json.RawMessage) string {
	if v == nil {
		return "nothing"
	}
	return string(v)
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
