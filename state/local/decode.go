package local

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/novacron/novacron/state"
)

// DecodeError reports a state document that cannot be decoded. The file is
// left as it was.
type DecodeError struct {
	Path   string
	Line   int // 1-based
	Column int // 1-based, in bytes
	Err    error
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("the state file %s is damaged at line %d, column %d: %v. "+
		"It was left untouched; fix it by hand or restore it from a backup",
		e.Path, e.Line, e.Column, e.Err)
}

func (e *DecodeError) Unwrap() error { return e.Err }

// document is what Read decodes: the state, with format_version kept
// apart so that a missing one is told from a wrong one.
type document struct {
	FormatVersion *int `json:"format_version"`
	*state.State
}

// decodeState decodes and checks a state document read from path.
func decodeState(path string, data []byte) (*state.State, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &DecodeError{Path: path, Line: 1, Column: 1, Err: errors.New("the file is empty")}
	}
	doc := document{State: &state.State{}}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, jsonError(path, data, err)
	}
	if doc.FormatVersion == nil {
		return nil, fmt.Errorf("%s has no format_version, so it is not a NovaCron state document. "+
			"It was left untouched; fix it by hand or restore it from a backup", path)
	}
	st := doc.State
	st.FormatVersion = *doc.FormatVersion
	if err := validate(path, st); err != nil {
		return nil, err
	}
	if st.VMs == nil {
		st.VMs = map[string]*state.VM{}
	}
	return st, nil
}

// validate runs state.Validate and names the file in its error.
func validate(path string, st *state.State) error {
	err := state.Validate(st)
	var invalid *state.InvalidError
	if errors.As(err, &invalid) {
		invalid.Source = "the state file " + path
	}
	return err
}

// jsonError turns an encoding/json error into a DecodeError that points at
// a line and column of data.
func jsonError(path string, data []byte, err error) error {
	var offset int64
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		offset = syntax.Offset
	case errors.As(err, &typ):
		offset = typ.Offset
		field := strings.TrimPrefix(typ.Field, "State.") // the embedded document
		err = fmt.Errorf("field %q holds a %s, want %s", field, typ.Value, typ.Type)
	default:
		return fmt.Errorf("state/local: %s: %w; the file was left untouched", path, err)
	}
	line, col := position(data, offset)
	return &DecodeError{Path: path, Line: line, Column: col, Err: err}
}

// position returns the 1-based line and column of the last byte the
// decoder read: offset counts the bytes read when it stopped, so the byte
// at offset-1 is the one it choked on (or the end of a mistyped value).
func position(data []byte, offset int64) (line, col int) {
	i := int(min(max(offset-1, 0), int64(len(data))))
	before := data[:i]
	line = bytes.Count(before, []byte("\n")) + 1
	col = i - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}
