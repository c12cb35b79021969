package workspace

import (
	"bytes"

	"github.com/novacron/novacron/internal/lazyregexp"
)

// vmField splits a problem's field `vms["ADDRESS"].NAME` into the quoted
// address and the name.
var vmField = lazyregexp.New(`^vms\[("(?:[^"\\]|\\.)*")\](?:\.([a-z_]+))?`)

// topField is a problem's field at the top of the document.
var topField = lazyregexp.New(`^([a-z_]+)`)

// locate returns the line and column (1-based, the column in bytes) of
// the key a state.Problem's field names in a document as state.Encode
// writes it (one VM a line): the VM's field, else the VM's record, else the
// top-level key; 0, 0 when it is not found.
func locate(data []byte, field string) (line, col int) {
	if m := vmField.FindStringSubmatch(field); m != nil {
		at := keyAt(data, 0, m[1])
		if at < 0 {
			return 0, 0
		}
		if m[2] != "" {
			end := bytes.IndexByte(data[at:], '\n')
			if end < 0 {
				end = len(data) - at
			}
			if f := keyAt(data[:at+end], at, `"`+m[2]+`"`); f >= 0 {
				at = f
			}
		}
		return position(data, at)
	}
	if m := topField.FindStringSubmatch(field); m != nil {
		if at := keyAt(data, 0, `"`+m[1]+`"`); at >= 0 {
			return position(data, at)
		}
	}
	return 0, 0
}

// keyAt returns the offset of the first quoted key followed by a colon in
// data from offset from, or -1.
func keyAt(data []byte, from int, quoted string) int {
	for from < len(data) {
		i := bytes.Index(data[from:], []byte(quoted))
		if i < 0 {
			return -1
		}
		at := from + i
		rest := bytes.TrimLeft(data[at+len(quoted):], " \t\r\n")
		if len(rest) > 0 && rest[0] == ':' {
			return at
		}
		from = at + len(quoted)
	}
	return -1
}

// position is the 1-based line and column of offset at.
func position(data []byte, at int) (line, col int) {
	line = 1 + bytes.Count(data[:at], []byte("\n"))
	return line, at - bytes.LastIndexByte(data[:at], '\n')
}
