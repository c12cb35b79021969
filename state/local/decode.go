package local

import (
	"bytes"
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

// decodeState decodes and checks a state document read from path
// (state.Decode), and names the file in its errors.
func decodeState(path string, data []byte) (*state.State, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &DecodeError{Path: path, Line: 1, Column: 1, Err: errors.New("the file is empty")}
	}
	st, err := state.Decode(data)
	var syntax *state.SyntaxError
	var notState *state.NotStateError
	var invalid *state.InvalidError
	switch {
	case errors.As(err, &syntax):
		return nil, &DecodeError{Path: path, Line: syntax.Line, Column: syntax.Column, Err: syntax}
	case errors.As(err, &notState):
		return nil, fmt.Errorf("%s: %s. It was left untouched; fix it by hand or restore it from a backup", path, notState.Error())
	case errors.As(err, &invalid):
		invalid.Source = "the state file " + path
	}
	return st, err
}
