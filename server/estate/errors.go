package estate

import "errors"

// The errors the API turns into status codes: ErrNotFound 404, a
// *ConflictError 409, an *InvalidError 400. Anything else is a 500 whose
// detail stays in the server's log.
var ErrNotFound = errors.New("not found")

// ConflictError is a request the estate refuses because of what exists:
// an action on a VM a spec owns, a stale plan, a digest that does not match.
type ConflictError struct{ Message string }

func (e *ConflictError) Error() string { return e.Message }

// InvalidError is a request the estate cannot act on as given: a spec
// with errors, a VM definition with a bad value. Diagnostics carry file,
// line and column where there is a source.
type InvalidError struct {
	Message     string
	Diagnostics []Diagnostic
}

func (e *InvalidError) Error() string { return e.Message }

// Diagnostic is an hcl.Diagnostic as JSON.
type Diagnostic struct {
	Severity string `json:"severity"` // error, warning
	Summary  string `json:"summary"`
	Detail   string `json:"detail,omitempty"`
	Range    *Range `json:"range,omitempty"`
}

// Range is a place in a spec file.
type Range struct {
	Filename string `json:"filename"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
}
