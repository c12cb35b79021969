package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPrintable(t *testing.T) {
	for _, tt := range []struct{ in, want, wantLines string }{
		{"plain ✓ text", "plain ✓ text", "plain ✓ text"},
		{"a\tb", "a\tb", "a\tb"},
		{"two\nlines", `two\x0alines`, "two\nlines"},
		{"\x1b[2J\x1b]0;title\x07", `\x1b[2J\x1b]0;title\x07`, `\x1b[2J\x1b]0;title\x07`},
		{"cr\rover", `cr\x0dover`, `cr\x0dover`},
		{"del\x7f nul\x00", `del\x7f nul\x00`, `del\x7f nul\x00`},
		{"c1 \u009b31m", `c1 \u009b31m`, `c1 \u009b31m`},
		{"bad \xff\xfe utf8", `bad \xff\xfe utf8`, `bad \xff\xfe utf8`},
		{"rtl \u202eevil\u2066", `rtl \u202eevil\u2066`, `rtl \u202eevil\u2066`},
	} {
		if got := printable(tt.in, false); got != tt.want {
			t.Errorf("printable(%q, false) = %q, want %q", tt.in, got, tt.want)
		}
		if got := printable(tt.in, true); got != tt.wantLines {
			t.Errorf("printable(%q, true) = %q, want %q", tt.in, got, tt.wantLines)
		}
	}
}

// TestSnippetWindow: a long line shows around the problem, and the caret
// stays under it, escapes and wide characters included.
func TestSnippetWindow(t *testing.T) {
	type shown struct {
		Text, Pad string
		Marks     int
	}
	long := strings.Repeat("(", 1000) + "x" + strings.Repeat(")", 1000)
	for _, tt := range []struct {
		name       string
		line       string
		start, end int
		want       shown
	}{
		{"short", "  x = 1", 6, 7, shown{"  x = 1", "      ", 1}},
		{"escape before", "a\x1bb = 1", 2, 3, shown{`a\x1bb = 1`, "     ", 1}},
		{"escape marked", "a\x1bb", 1, 2, shown{`a\x1bb`, " ", 4}},
		{"tab", "\tx", 1, 2, shown{"\tx", "\t", 1}},
		{"long", long, 1000, 1001, shown{"…" + strings.Repeat("(", 30) + "x" + strings.Repeat(")", 89) + "…", strings.Repeat(" ", 31), 1}},
	} {
		text, pad, marks := newSourceLine(tt.line).window(tt.start, tt.end)
		if diff := cmp.Diff(tt.want, shown{text, pad, marks}); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}
