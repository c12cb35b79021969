package spec

import (
	"bytes"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/internal/lazyregexp"
)

// maskVarFile keeps, for diagnostics, a copy of a variable file in which
// every character of a sensitive variable's value is '*', from the value's
// start to the end of its last line (a comment there may hold it too), so
// that a snippet points at the right column without showing it. attrs is
// nil when the file did not parse: then, if the spec declares any
// sensitive variable, every line is masked but a leading `NAME =`.
func (d *decoder) maskVarFile(path string, attrs hcl.Attributes) {
	f := d.loader.parser.Files()[path]
	if f == nil || !d.anySensitiveVariable() {
		return
	}
	src := f.Bytes
	hide := make([]bool, len(src))
	if attrs == nil {
		hideAllValues(src, hide)
	}
	for name, a := range attrs {
		if v := d.spec.Variables[name]; v != nil && v.Sensitive {
			r := a.Expr.Range()
			hideLines(src, hide, r.Start.Byte, r.End.Byte)
		}
	}
	if d.loader.masked == nil {
		d.loader.masked = map[string]*hcl.File{}
	}
	d.loader.masked[path] = &hcl.File{Bytes: masked(src, hide), Body: f.Body}
}

func (d *decoder) anySensitiveVariable() bool {
	for _, v := range d.spec.Variables {
		if v.Sensitive {
			return true
		}
	}
	return false
}

// MaskValues returns a variable file's text with every value masked as
// maskVarFile masks the values of a file that does not parse: for a
// command that shows its lines without knowing which variables are
// sensitive (fmt).
func MaskValues(src []byte) []byte {
	hide := make([]bool, len(src))
	hideAllValues(src, hide)
	return masked(src, hide)
}

// hideLines hides src from start up to the end of the line that end is on.
func hideLines(src []byte, hide []bool, start, end int) {
	end = min(max(end, start), len(src))
	if nl := bytes.IndexByte(src[end:], '\n'); nl >= 0 {
		end += nl
	} else {
		end = len(src)
	}
	for i := max(start, 0); i < end; i++ {
		hide[i] = true
	}
}

// assignment matches the `NAME =` that may start a line.
var assignment = lazyregexp.New(`^\s*[A-Za-z_][A-Za-z0-9_-]*\s*=`)

// hideAllValues hides every line but a leading `NAME =`.
func hideAllValues(src []byte, hide []bool) {
	for start := 0; start < len(src); {
		end := bytes.IndexByte(src[start:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += start
		}
		from := start
		if m := assignment.FindIndex(src[start:end]); m != nil && (start+m[1] >= end || src[start+m[1]] != '=') {
			from = start + m[1]
		}
		for i := from; i < end; i++ {
			hide[i] = true
		}
		start = end + 1
	}
}

// masked returns src with each hidden character, but line breaks, as '*'.
func masked(src []byte, hide []bool) []byte {
	out := make([]byte, 0, len(src))
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if hide[i] && r != '\n' && r != '\r' {
			out = append(out, '*')
		} else {
			out = append(out, src[i:i+n]...)
		}
		i += n
	}
	return out
}
