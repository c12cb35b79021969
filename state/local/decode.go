package local

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

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

// decodeState decodes and checks a state document read from path.
func decodeState(path string, data []byte) (*state.State, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &DecodeError{Path: path, Line: 1, Column: 1, Err: errors.New("the file is empty")}
	}
	var st state.State
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, jsonError(path, data, err)
	}
	if err := checkState(path, &st); err != nil {
		return nil, err
	}
	if st.VMs == nil {
		st.VMs = map[string]*state.VM{}
	}
	return &st, nil
}

// checkState refuses documents this build must not use.
func checkState(path string, st *state.State) error {
	switch {
	case st.FormatVersion > state.FormatVersion:
		return fmt.Errorf("state/local: %s has format_version %d, but this build reads format_version %d and older; "+
			"upgrade nova. The file was left untouched.", path, st.FormatVersion, state.FormatVersion)
	case st.FormatVersion < 1:
		return fmt.Errorf("state/local: %s has no format_version, so it is not a NovaCron state document. "+
			"The file was left untouched; fix it by hand or restore it from a backup.", path)
	}
	for addr, vm := range st.VMs {
		if vm == nil {
			return fmt.Errorf("state/local: %s: vms[%q] is null. "+
				"The file was left untouched; fix it by hand or restore it from a backup.", path, addr)
		}
	}
	return nil
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
		err = fmt.Errorf("field %q holds a %s, want %s", typ.Field, typ.Value, typ.Type)
	default:
		return fmt.Errorf("state/local: %s: %w. The file was left untouched.", path, err)
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
