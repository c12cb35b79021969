package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// SyntaxError is a document whose text is not JSON. Line and Column
// (1-based; the column counts bytes) are where reading stopped.
type SyntaxError struct {
	Line, Column int
	Msg          string
}

func (e *SyntaxError) Error() string { return e.Msg }

// NotStateError is JSON that is not a NovaCron state document: it is not
// an object, or it has no format_version.
type NotStateError struct{ Reason string }

func (e *NotStateError) Error() string {
	return e.Reason + ", so it is not a NovaCron state document"
}

// Decode reads a state document from the JSON text every backend keeps,
// and checks it in one pass. The text must be UTF-8 (a UTF-8 byte-order
// mark is skipped; a UTF-16 or UTF-32 one is refused) and one JSON object;
// every object in it must have each key once; the document must hold only
// the fields of its format_version, each of its type (null is never one);
// and it must pass Validate. A document that leaves out serial starts at
// serial 0, one that leaves out vms manages no VMs: that minimal document
// {"format_version": 1, "lineage": "…"} is how a lost state is re-attached
// to its VMs through their markers.
//
// The error is a *SyntaxError (not JSON), a *NotStateError (no
// format_version), or an *InvalidError listing every problem, with the
// line of each found in the text.
func Decode(data []byte) (*State, error) {
	data, err := skipBOM(data)
	if err != nil {
		return nil, err
	}
	r := &reader{data: data, size: len(data)}
	st, hasVersion := r.document()
	if r.err != nil {
		return nil, r.syntaxError()
	}
	// The checks below need the records, not their text: a large state's
	// text (26 MB at 100,000 VMs) need not stay live while they run.
	r.data = nil
	switch {
	case st == nil:
		return nil, &NotStateError{Reason: "the document is " + kindOf(r.first) + ", not an object"}
	case !hasVersion:
		return nil, &NotStateError{Reason: "it has no format_version"}
	case st.FormatVersion > FormatVersion:
		return nil, invalid(check(st, nil)) // a newer format: its fields are not ours to judge
	}
	return st, invalid(withoutRepeats(check(st, nil), r.problems))
}

// withoutRepeats appends to found the problems of checked whose field
// found does not already name, itself or a field that holds it: the
// text's problem says more (a type, a line) than Validate can about a
// value decoding left empty.
func withoutRepeats(checked, found []Problem) []Problem {
	if len(found) == 0 {
		return checked
	}
	named := make(map[string]bool, len(found))
	for _, p := range found {
		named[p.Field] = true
	}
	for _, p := range checked {
		if !namedIn(named, p.Field) {
			found = append(found, p)
		}
	}
	return found
}

// namedIn reports whether named holds f or a field f is part of
// (vms["a"] for vms["a"].id).
func namedIn(named map[string]bool, f string) bool {
	if named[f] {
		return true
	}
	for i := 1; i < len(f); i++ {
		if (f[i] == '.' || f[i] == '[') && named[f[:i]] {
			return true
		}
	}
	return false
}

var (
	bomUTF8  = []byte{0xEF, 0xBB, 0xBF}
	bomOther = [][]byte{{0xFE, 0xFF}, {0xFF, 0xFE}, {0x00, 0x00, 0xFE, 0xFF}}
)

// skipBOM drops a UTF-8 byte-order mark, which some editors write, and
// refuses the marks of UTF-16 and UTF-32, whose text JSON readers cannot
// read.
func skipBOM(data []byte) ([]byte, error) {
	if bytes.HasPrefix(data, bomUTF8) {
		return data[len(bomUTF8):], nil
	}
	for _, bom := range bomOther {
		if bytes.HasPrefix(data, bom) {
			return nil, &SyntaxError{Line: 1, Column: 1,
				Msg: "the file starts with a UTF-16 or UTF-32 byte-order mark: save it as UTF-8"}
		}
	}
	return data, nil
}

// syntaxError describes text that is not JSON in encoding/json's words
// and at its offset, which users of JSON tools know; this reader's own
// finding is the fallback.
func (r *reader) syntaxError() error {
	msg, offset := r.err.Error(), r.errAt
	var se *json.SyntaxError
	if err := json.Unmarshal(r.data, new(any)); errors.As(err, &se) {
		msg, offset = se.Error(), int(se.Offset)-1
	}
	line, col := position(r.data, offset)
	return &SyntaxError{Line: line, Column: col, Msg: msg}
}

// position returns the 1-based line and column (in bytes) of data[offset].
func position(data []byte, offset int) (line, col int) {
	offset = min(max(offset, 0), len(data))
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = offset - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// kindOf names the JSON value that starts with c, for problems.
func kindOf(c byte) string {
	switch {
	case c == '{':
		return "an object"
	case c == '[':
		return "an array"
	case c == '"':
		return "a string"
	case c == 't' || c == 'f':
		return "true or false"
	case c == 'n':
		return "null"
	case c == '-' || (c >= '0' && c <= '9'):
		return "a number"
	}
	return fmt.Sprintf("%q", c)
}
