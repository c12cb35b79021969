package vsphere

import (
	"encoding/json"
	"maps"
	"strings"

	"github.com/vmware/govmomi/vim25/types"

	"github.com/novacron/novacron/engine/driver"
)

// record is what NovaCron keeps on a VM it manages: the ownership marker,
// the user tags, the template ID (sensitive settings appear only as their
// digest), the disk size asked for, and whether the VM is a linked clone.
// It is JSON, in the custom attribute FieldName, on the last line of the
// VM's annotation that starts with recordPrefix, and in the VM's extra
// configuration under extraKey (the one place govmomi's simulator keeps
// from a clone's configuration, so a clone carries its record from the
// moment it exists there too; not guestinfo, so the guest cannot read it).
type record struct {
	Version  int               `json:"v"`
	Address  string            `json:"address,omitempty"`
	Lineage  string            `json:"lineage,omitempty"`
	SpecHash string            `json:"spec,omitempty"`
	Template string            `json:"template,omitempty"`
	DiskGB   int               `json:"disk_gb,omitempty"`
	Linked   bool              `json:"linked,omitempty"`
	Tags     map[string]string `json:"tags,omitempty"`
}

// recordVersion is the version of the record's format.
const recordVersion = 1

// recordPrefix starts the annotation line that holds the record.
const recordPrefix = "novacron-record: "

// extraKey is the extra configuration option that holds the record.
const extraKey = "novacron.record"

// extraProp is the property path of that one option: the inventory reads
// it, not the whole extra configuration.
var extraProp = `config.extraConfig["` + extraKey + `"]`

// extraRecord returns the option that holds r.
func extraRecord(r record) []types.BaseOptionValue {
	return []types.BaseOptionValue{&types.OptionValue{Key: extraKey, Value: r.encode()}}
}

// extraValue is the record's text in a VM's extra configuration, or "".
func extraValue(options []types.BaseOptionValue) string {
	for _, o := range options {
		if v := o.GetOptionValue(); v.Key == extraKey {
			s, _ := v.Value.(string)
			return s
		}
	}
	return ""
}

// newRecord is the record of a VM made from spec.
func newRecord(spec driver.VMSpec, linked bool) record {
	r := record{Version: recordVersion, Template: spec.Template.ID(), DiskGB: spec.DiskGB, Linked: linked}
	r.setMarker(spec.Marker)
	r.Tags = maps.Clone(spec.Tags)
	return r
}

// setMarker records m; a zero marker records none.
func (r *record) setMarker(m driver.Marker) {
	r.Address, r.Lineage, r.SpecHash = m.Address, m.Lineage, m.SpecHash
}

// marker returns the recorded marker, or nil.
func (r record) marker() *driver.Marker {
	m := driver.Marker{Address: r.Address, Lineage: r.Lineage, SpecHash: r.SpecHash}
	if m == (driver.Marker{}) {
		return nil
	}
	return &m
}

// encode is the record as one line of JSON.
func (r record) encode() string {
	b, _ := json.Marshal(r) // strings, ints and a map of strings: cannot fail
	return string(b)
}

// decodeRecord reads a record; ok is false for anything else.
func decodeRecord(s string) (record, bool) {
	var r record
	if s == "" || json.Unmarshal([]byte(s), &r) != nil || r.Version < 1 {
		return record{}, false
	}
	return r, true
}

// annotationRecord reads the record in an annotation.
func annotationRecord(notes string) (record, bool) {
	lines := strings.Split(notes, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if s, ok := strings.CutPrefix(strings.TrimRight(lines[i], "\r"), recordPrefix); ok {
			return decodeRecord(s)
		}
	}
	return record{}, false
}

// withRecord returns the annotation with its record replaced by r, and
// the rest of the notes kept.
func withRecord(notes string, r record) string {
	var keep []string
	for _, l := range strings.Split(notes, "\n") {
		if !strings.HasPrefix(l, recordPrefix) {
			keep = append(keep, l)
		}
	}
	text := strings.TrimRight(strings.Join(keep, "\n"), "\n")
	if text != "" {
		text += "\n"
	}
	return text + recordPrefix + r.encode()
}

// recordOf returns a VM's record: the custom attribute's when set, else
// the annotation's, else the extra configuration's; ok is false for a VM
// NovaCron did not make or adopt.
func recordOf(field, notes, extra string) (record, bool) {
	if r, ok := decodeRecord(field); ok {
		return r, true
	}
	if r, ok := annotationRecord(notes); ok {
		return r, true
	}
	return decodeRecord(extra)
}
