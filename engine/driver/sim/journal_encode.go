package sim

import (
	"strconv"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/state"
)

// The journal's lines are written by hand, field by field in the order of
// the structs' tags, with the empty optional ones left out: an apply of
// 100,000 creates writes 100,000 lines, and encoding/json's reflection was
// most of what a line cost. They are not byte for byte what encoding/json
// writes (no HTML escaping of <, > and &), but json.Unmarshal reads the same
// entry from either (journal_encode_test.go), and strings are escaped as
// the state file escapes them (state.AppendJSONString).

// appendJSON appends e as one line of the journal, without its newline.
func (e *entry) appendJSON(b []byte) []byte {
	b = state.AppendJSONString(append(b, `{"op":`...), e.Op)
	if e.VM != nil {
		b = e.VM.appendJSON(append(b, `,"vm":`...))
	}
	if e.ID != "" {
		b = state.AppendJSONString(append(b, `,"id":`...), e.ID)
	}
	if len(e.Hosts) > 0 {
		b = append(b, `,"hosts":[`...)
		for i := range e.Hosts {
			if i > 0 {
				b = append(b, ',')
			}
			b = e.Hosts[i].appendJSON(b)
		}
		b = append(b, ']')
	}
	if e.LastID != 0 {
		b = strconv.AppendInt(append(b, `,"last_id":`...), e.LastID, 10)
	}
	return append(b, '}')
}

// appendJSON appends r as the "vm" of a journal entry.
func (r *vmRecord) appendJSON(b []byte) []byte {
	b = state.AppendJSONString(append(b, `{"id":`...), r.ID)
	b = state.AppendJSONString(append(b, `,"name":`...), r.Name)
	b = state.AppendJSONString(append(b, `,"host":`...), r.Host)
	b = strconv.AppendInt(append(b, `,"cpu":`...), int64(r.CPU), 10)
	b = strconv.AppendInt(append(b, `,"memory_mib":`...), r.MemoryMiB, 10)
	b = strconv.AppendInt(append(b, `,"disk_gb":`...), int64(r.DiskGB), 10)
	b = state.AppendJSONString(append(b, `,"power":`...), string(r.Power))
	b = state.AppendJSONString(append(b, `,"template":`...), r.Template)
	if len(r.Tags) > 0 {
		b = state.AppendJSONStringMap(append(b, `,"tags":`...), r.Tags)
	}
	if r.Marker != nil {
		b = appendMarker(append(b, `,"marker":`...), r.Marker)
	}
	return append(b, '}')
}

// appendMarker appends m as driver.Marker's JSON tags name its fields.
func appendMarker(b []byte, m *driver.Marker) []byte {
	b = state.AppendJSONString(append(b, `{"address":`...), m.Address)
	b = state.AppendJSONString(append(b, `,"lineage":`...), m.Lineage)
	b = state.AppendJSONString(append(b, `,"spec_hash":`...), m.SpecHash)
	return append(b, '}')
}

// appendJSON appends h as one of the "hosts" of a journal entry.
func (h *hostRecord) appendJSON(b []byte) []byte {
	b = state.AppendJSONString(append(b, `{"name":`...), h.Name)
	b = strconv.AppendInt(append(b, `,"cpu":`...), int64(h.CPU), 10)
	b = strconv.AppendInt(append(b, `,"memory_mib":`...), h.MemoryMiB, 10)
	if h.DiskGiB != 0 {
		b = strconv.AppendInt(append(b, `,"disk_gib":`...), h.DiskGiB, 10)
	}
	if len(h.Labels) > 0 {
		b = state.AppendJSONStringMap(append(b, `,"labels":`...), h.Labels)
	}
	return append(b, '}')
}
