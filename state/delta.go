package state

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
)

// DeltaStore is a Store that persists a change as the records that changed
// rather than the whole document, so that the cost of a write grows with
// the change, not with the estate. Writer uses it when the Store has it.
// The local backend keeps the changes in a journal beside its document;
// a database would keep them as rows (docs/state.md).
//
// The stored document is the last document written (Write, Overwrite,
// Compact) with the deltas written since applied in order. A reader sees
// it with or without a delta, never part of one.
type DeltaStore interface {
	Store
	// WriteDelta persists d on top of the stored document. d.Lineage must
	// be the stored lineage and d.Serial greater than the stored serial:
	// otherwise it returns a *ConflictError and writes nothing. Its records
	// are checked as Validate checks a document's (ValidateDelta). When no
	// document is stored, or the stored one must be rewritten whole, it
	// returns ErrWriteWhole: the caller writes the whole document.
	// compact reports that the changes kept apart from the document have
	// outgrown it: the caller should Compact (or Write) soon.
	WriteDelta(ctx context.Context, d *Delta) (compact bool, err error)
	// Compact replaces the stored document and its deltas with st, which
	// must be that document (the same lineage and serial: otherwise a
	// *ConflictError): the document a reader sees does not change.
	Compact(ctx context.Context, st *State) error
}

// ErrWriteWhole is WriteDelta's answer when the change cannot be kept
// apart from the document: none is stored to apply it to, or the stored
// one must be rewritten whole first (a plaintext one when the store has a
// key: the next write encrypts the state). Nothing was written; the caller
// writes the whole document.
var ErrWriteWhole = errors.New("the state document must be written whole")

// Delta is one write of the changed records: the VMs set and removed since
// the previous serial, and the list of abandoned VMs when it changed.
type Delta struct {
	Lineage string
	Serial  uint64
	Set     map[string]*VM // address → the VM now recorded there
	Removed []string       // addresses no longer recorded, sorted
	// Abandoned replaces the list when AbandonedChanged.
	Abandoned        []Ref
	AbandonedChanged bool
	// VMs is the number of VMs the document holds with d applied, when
	// the writer knows it (0: unknown). It is not stored: a store weighs
	// it against the records its journal holds (DeltaStore.WriteDelta).
	VMs int
}

// Apply applies d to s (which must be the document d was written over) and
// sets s.Serial to d.Serial. The VMs of d are shared, not copied.
func (d *Delta) Apply(s *State) {
	if s.VMs == nil {
		s.VMs = map[string]*VM{}
	}
	for addr, vm := range d.Set {
		s.VMs[addr] = vm
	}
	for _, addr := range d.Removed {
		delete(s.VMs, addr)
	}
	if d.AbandonedChanged {
		s.Abandoned = slices.Clone(d.Abandoned)
	}
	s.Serial = d.Serial
}

// ValidateDelta checks the records of d as Validate checks a document's:
// each VM set, the addresses removed, the abandoned list and the serial.
// What only the whole document shows (a VM recorded at two addresses, an
// abandoned VM also managed) is checked when the document is read and
// compacted.
func ValidateDelta(d *Delta) error {
	v := &validator{}
	v.lineage(&State{Lineage: d.Lineage})
	v.serial(&State{Serial: d.Serial})
	for addr, vm := range d.Set {
		if vm == nil {
			v.add(field(addr), "Record a VM, or remove the address.", "is null")
			continue
		}
		v.vm(addr, vm)
	}
	if d.AbandonedChanged {
		v.abandoned(&State{Abandoned: d.Abandoned})
	}
	return invalid(v.problems)
}

// EncodeDelta renders d as one line of JSON without its line end:
// {"serial":N,"set":{ADDR:VM,…},"removed":[…],"abandoned":[…]}, each VM
// as Encode writes it, addresses sorted; "abandoned" only when it changed.
// The lineage is not written: a delta belongs to the document it follows.
func EncodeDelta(d *Delta) []byte {
	b := make([]byte, 0, 64+256*len(d.Set))
	b = strconv.AppendUint(append(b, `{"serial":`...), d.Serial, 10)
	b = append(b, `,"set":{`...)
	for i, addr := range slices.Sorted(maps.Keys(d.Set)) {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendVM(append(appendString(b, addr), ':'), d.Set[addr])
	}
	b = append(b, `},"removed":[`...)
	for i, addr := range d.Removed {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, addr)
	}
	b = append(b, ']')
	if d.AbandonedChanged {
		b = append(b, `,"abandoned":[`...)
		for i, ref := range d.Abandoned {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(append(b, `{"provider":`...), ref.Provider)
			b = appendString(append(b, `,"id":`...), ref.ID)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// EncodeDeltaRecord renders d as EncodeDelta does with its lineage added
// last, {"serial":N,…,"lineage":"…"}: the record of a store that keeps
// changes apart from their document (the local journal, the pg backend's
// change rows), so that a record copied under another state is refused
// (DecodeDeltaRecord). The buffer has room for spare more bytes.
func EncodeDeltaRecord(d *Delta, spare int) []byte {
	body := EncodeDelta(d)
	lineage, _ := json.Marshal(d.Lineage) // a string always marshals
	b := slices.Grow(body[:len(body)-1], len(deltaLineageKey)+len(lineage)+1+spare)
	b = append(append(b, deltaLineageKey...), lineage...)
	return append(b, '}')
}

// deltaLineageKey precedes the lineage EncodeDeltaRecord adds.
const deltaLineageKey = `,"lineage":`

// DecodeDeltaRecord reads a record EncodeDeltaRecord wrote, as DecodeDelta
// does, and requires it to name lineage.
func DecodeDeltaRecord(line []byte, lineage string) (*Delta, error) {
	return decodeDelta(line, lineage, true)
}

// deltaLine is the JSON shape of EncodeDelta's line.
type deltaLine struct {
	Lineage   *string        `json:"lineage"`
	Serial    *uint64        `json:"serial"`
	Set       map[string]*VM `json:"set"`
	Removed   []string       `json:"removed"`
	Abandoned *[]Ref         `json:"abandoned"`
}

// DecodeDelta reads a line EncodeDelta wrote, refusing unknown fields and
// a missing serial, and checks it with ValidateDelta (lineage is the
// document's, which the line does not repeat). A line that names a
// "lineage" (as the local journal's records do) must name lineage.
func DecodeDelta(line []byte, lineage string) (*Delta, error) {
	return decodeDelta(line, lineage, false)
}

// decodeDelta is DecodeDelta; named requires the line to name the lineage.
func decodeDelta(line []byte, lineage string, named bool) (*Delta, error) {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	var l deltaLine
	if err := dec.Decode(&l); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("text follows the change record")
	}
	if l.Serial == nil {
		return nil, errors.New(`the change record has no "serial"`)
	}
	if l.Lineage == nil && named {
		return nil, errors.New(`the change record does not name the lineage of its state ("lineage")`)
	}
	if l.Lineage != nil && *l.Lineage != lineage {
		return nil, fmt.Errorf("the change record is of another state (lineage %q), not of this one (lineage %q)", *l.Lineage, lineage)
	}
	d := &Delta{Lineage: lineage, Serial: *l.Serial, Set: l.Set, Removed: l.Removed}
	if l.Abandoned != nil {
		d.Abandoned, d.AbandonedChanged = *l.Abandoned, true
	}
	if err := ValidateDelta(d); err != nil {
		var inv *InvalidError
		if errors.As(err, &inv) {
			return nil, fmt.Errorf("the change record is not valid:%s", inv.List())
		}
		return nil, err
	}
	return d, nil
}
