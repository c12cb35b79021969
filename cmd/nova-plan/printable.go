package main

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/novacron/novacron/engine/jsonformat"
)

// printable escapes what must not reach a terminal raw: C0 and C1 control
// characters (ESC starts the sequences that recolor, move the cursor or
// retitle the window), DEL, bytes that are not UTF-8, and the characters
// that reorder or break lines unseen. Tabs stay; newlines stay when
// newlines is set. Escapes are visible: \x1b, \u0085, \xff.
func printable(s string, newlines bool) string {
	if plainText(s) {
		return s // the common case: nothing to escape, nothing to copy
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		b.WriteString(unitText(r, size, s[i], newlines))
		i += size
	}
	return b.String()
}

// plainText reports printable ASCII (and tabs), which prints as it is.
func plainText(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t') || c >= 0x7f {
			return false
		}
	}
	return true
}

// unitText is how one character (or one byte that is not UTF-8) prints.
func unitText(r rune, size int, first byte, newlines bool) string {
	switch {
	case r == utf8.RuneError && size == 1:
		return fmt.Sprintf(`\x%02x`, first)
	case r == '\t' || (r == '\n' && newlines):
		return string(r)
	case r < 0x20 || r == 0x7f:
		return fmt.Sprintf(`\x%02x`, r)
	case (r >= 0x80 && r <= 0x9f) || hidden(r):
		return fmt.Sprintf(`\u%04x`, r)
	}
	return string(r)
}

// hidden reports characters that change how text around them shows: line
// and paragraph separators and the bidirectional overrides and isolates.
func hidden(r rune) bool { return jsonformat.Hidden(r) }

// sourceLine is a line of source as printable units, one per character
// (hcl counts columns in characters), so a caret can be placed under any
// of them.
type sourceLine []string

func newSourceLine(s string) sourceLine {
	var out sourceLine
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		out = append(out, unitText(r, size, s[i], false))
		i += size
	}
	return out
}

// maxSnippet is the most characters of a source line a snippet shows.
const maxSnippet = 120

// window returns the text to show of the line (at most about maxSnippet
// characters around units [start, end), elided with …), the padding that
// puts a caret under start, and how many carets mark [start, end).
func (l sourceLine) window(start, end int) (text, pad string, marks int) {
	from, to := 0, len(l)
	if width(l) > maxSnippet {
		from = max(0, start-maxSnippet/4)
		to = from
		for to < len(l) && width(l[from:to+1]) <= maxSnippet {
			to++
		}
	}
	end = min(max(end, start), to)
	var t, p strings.Builder
	if from > 0 {
		t.WriteString("…")
		p.WriteString(" ")
	}
	for i := from; i < to; i++ {
		t.WriteString(l[i])
		if i < start {
			p.WriteString(blank(l[i]))
		}
	}
	if to < len(l) {
		t.WriteString("…")
	}
	return t.String(), p.String(), width(l[start:end])
}

func width(units []string) int {
	n := 0
	for _, u := range units {
		n += utf8.RuneCountInString(u)
	}
	return n
}

// blank is the padding under a unit: tabs stay tabs so the caret lines up.
func blank(u string) string {
	if u == "\t" {
		return "\t"
	}
	return strings.Repeat(" ", utf8.RuneCountInString(u))
}
