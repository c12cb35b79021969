package hyperv

import (
	"bytes"
	"encoding/json"
	"maps"
	"strings"

	"github.com/novacron/novacron/engine/driver"
)

// The record NovaCron keeps in a VM's Notes, after any text of the user's:
//
//	user text
//	[novacron]{"address":"fleet.web[0]","lineage":"…","spec":"…","template":"…","tags":{…}}[/novacron]
//
// Hyper-V has no tags or custom attributes; Notes is the one free field a
// VM has, so the record holds the marker, the user tags and the template.
const (
	notesOpen  = "[novacron]"
	notesClose = "[/novacron]"
)

// record is NovaCron's block in Notes.
type record struct {
	Address  string            `json:"address,omitempty"`
	Lineage  string            `json:"lineage,omitempty"`
	SpecHash string            `json:"spec,omitempty"`
	Template string            `json:"template,omitempty"`
	Tags     map[string]string `json:"tags,omitempty"`
	// Creating is set by New-VM and cleared as the create script's last
	// step: a VM that keeps it was left half-made (the script stopped at
	// wait_timeout, the host lost), and reports its template as
	// unfinishedPrefix + the template's ID, which no spec's template
	// matches, so the plan replaces it rather than adopting a VM that may
	// lack its disk or firmware settings.
	Creating bool `json:"creating,omitempty"`
}

// unfinishedPrefix starts the template of a half-made VM (Creating).
const unfinishedPrefix = "(create interrupted) "

// marker is the record's marker, nil when it holds none.
func (r record) marker() *driver.Marker {
	if r.Address == "" {
		return nil
	}
	return &driver.Marker{Address: r.Address, Lineage: r.Lineage, SpecHash: r.SpecHash}
}

func (r *record) setMarker(m *driver.Marker) {
	r.Address, r.Lineage, r.SpecHash = "", "", ""
	if m != nil {
		r.Address, r.Lineage, r.SpecHash = m.Address, m.Lineage, m.SpecHash
	}
}

// readNotes splits Notes into the user's text and NovaCron's record; ok is
// false when Notes holds no record.
func readNotes(notes string) (user string, r record, ok bool) {
	from := 0
	for {
		i := strings.Index(notes[from:], notesOpen)
		if i < 0 {
			return notes, record{}, false
		}
		start := from + i
		dec := json.NewDecoder(strings.NewReader(notes[start+len(notesOpen):]))
		var rec record
		if dec.Decode(&rec) == nil {
			end := start + len(notesOpen) + int(dec.InputOffset())
			if strings.HasPrefix(notes[end:], notesClose) {
				before := strings.TrimSuffix(notes[:start], "\n")
				return before + notes[end+len(notesClose):], rec, true
			}
		}
		from = start + len(notesOpen)
	}
}

// writeNotes puts the record after the user's text.
func writeNotes(user string, r record) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(r) // a record of strings always encodes
	block := notesOpen + strings.TrimSuffix(b.String(), "\n") + notesClose
	if user == "" {
		return block
	}
	return user + "\n" + block
}

// newRecord is the record of a VM made from spec.
func newRecord(spec driver.VMSpec) record {
	r := record{Template: spec.Template.ID(), Tags: maps.Clone(spec.Tags)}
	if spec.Marker != (driver.Marker{}) {
		r.setMarker(&spec.Marker)
	}
	return r
}
