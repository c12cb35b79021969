package spec

import (
	"fmt"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// MaxNesting is how deep an expression or a block may nest. hcl's parser,
// and everything that walks what it builds, recurses once per level, so
// without a bound a small file (100,000 parentheses in 200 KB) exhausts the
// stack. See nestingScanner for what counts as a level.
const MaxNesting = 256

// checkSource refuses, before hcl parses it, a file or -var value that is
// not text or that nests deeper than MaxNesting. It returns at most one
// diagnostic: the first place that fails; text is false when src is not
// text (so not worth showing).
func checkSource(src []byte, filename string, expr bool) (diags hcl.Diagnostics, text bool) {
	if d := checkText(src, filename); d != nil {
		return hcl.Diagnostics{d}, false
	}
	if at := tooDeep(src, expr, MaxNesting); at >= 0 {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Nesting too deep",
			Detail: fmt.Sprintf("This goes more than %d levels deep. Each bracket, brace, parenthesis, block, string, "+
				"template interpolation and directive is a level, and so is each operator or index chained in one expression. "+
				"Split it, for example into local values.", MaxNesting),
			Subject: rangeAt(src, filename, at),
		}}, true
	}
	return nil, true
}

// checkText refuses bytes that are not UTF-8 text: a binary file named
// *.nova.hcl gets one diagnostic, not one per stray byte. Tabs, newlines and
// carriage returns are the only control characters allowed; strings can
// still hold others through escapes such as \u0007.
func checkText(src []byte, filename string) *hcl.Diagnostic {
	if at := firstByte(src, notText); at >= 0 {
		rng := rangeAt(src, filename, at)
		what := fmt.Sprintf("the byte 0x%02X", src[at])
		if src[at] == 0 {
			what = "a NUL byte"
		}
		return &hcl.Diagnostic{
			Severity: hcl.DiagError, Summary: "Not a text file", Subject: rng,
			Detail: fmt.Sprintf("The file has %s at line %d, column %d: spec and variable files must be UTF-8 text.",
				what, rng.Start.Line, rng.Start.Column),
		}
	}
	if at := firstByte(src, strayControl); at >= 0 {
		rng := rangeAt(src, filename, at)
		r, _ := utf8.DecodeRune(src[at:])
		return &hcl.Diagnostic{
			Severity: hcl.DiagError, Summary: "Control character in the file", Subject: rng,
			Detail: fmt.Sprintf("The file has the control character U+%04X at line %d, column %d. Remove it, or write it as an escape (\\u%04x) inside a string.",
				r, rng.Start.Line, rng.Start.Column, r),
		}
	}
	return nil
}

// firstByte returns the offset of the first character for which bad is
// true; r is utf8.RuneError with size 1 for a byte that is not UTF-8.
func firstByte(src []byte, bad func(r rune, size int) bool) int {
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if bad(r, size) {
			return i
		}
		i += size
	}
	return -1
}

func notText(r rune, size int) bool { return r == 0 || (r == utf8.RuneError && size == 1) }

func strayControl(r rune, _ int) bool { return isControl(r) && r != '\t' && r != '\n' && r != '\r' }

// rangeAt is the range of the character at byte offset at.
func rangeAt(src []byte, filename string, at int) *hcl.Range {
	pos := hcl.InitialPos
	for i := 0; i < at; {
		r, size := utf8.DecodeRune(src[i:])
		pos, i = advance(pos, r, size), i+size
	}
	r, size := utf8.DecodeRune(src[at:])
	return &hcl.Range{Filename: filename, Start: pos, End: advance(pos, r, size)}
}

func advance(p hcl.Pos, r rune, size int) hcl.Pos {
	p.Byte += size
	if r == '\n' {
		p.Line, p.Column = p.Line+1, 1
	} else {
		p.Column++
	}
	return p
}

// isControl reports C0 and C1 control characters and DEL.
func isControl(r rune) bool { return r < 0x20 || (r >= 0x7f && r <= 0x9f) }
