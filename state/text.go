package state

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// BadText says what makes s unfit for a text field of a state document
// (a name, host, template, tag), or returns "": a byte that is not UTF-8,
// or a control character (C0, DEL or C1: they recolor, move or retitle a
// terminal that prints them). The spec refuses the same in the values it
// sets; the plan refuses to record such values that come from a provider.
func BadText(s string) string { return badText(s) }

func badText(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return badTextFrom(s, i)
		}
	}
	return ""
}

// badTextFrom is badText's slow path, from the first byte that is not
// printable ASCII.
func badTextFrom(s string, i int) string {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return fmt.Sprintf("is not UTF-8: it has the byte 0x%02X", s[i])
		case isControl(r):
			return fmt.Sprintf("has the control character U+%04X", r)
		}
		i += size
	}
	return ""
}

// isControl reports C0 and C1 control characters and DEL.
func isControl(r rune) bool { return r < 0x20 || (r >= 0x7f && r <= 0x9f) }

// badID is badText for an id, which also must not have spaces around it:
// drivers compare ids exactly.
func badID(id string) string {
	if bad := badText(id); bad != "" {
		return bad
	}
	if id != "" && (spaceAt(id, 0) || spaceAt(id, len(id)-1)) && strings.TrimFunc(id, unicode.IsSpace) != id {
		return fmt.Sprintf("is %q, with spaces around it", id)
	}
	return ""
}

// spaceAt reports whether the byte at i may be part of a space: an ASCII
// space, or any byte of a character beyond ASCII (which badText has
// found to be UTF-8).
func spaceAt(s string, i int) bool { return s[i] == ' ' || s[i] >= 0x80 }
