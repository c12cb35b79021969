package main

import (
	"strings"
)

// A Markdown summary is posted where a reviewer reads it (a pull request
// comment) and printed where a terminal shows it, so every value from a
// spec, a state file, a provider or a policy is made printable first
// (printable) and then made inert as Markdown:
//
//   - names, addresses, IDs and attribute values go in code spans (mdCode),
//     where nothing is read as Markdown or HTML and no mention, issue
//     reference or link is made; the span's fence is longer than any run
//     of backticks inside it;
//   - free text (reasons, warnings, policy messages) is escaped (mdText):
//     the characters that start emphasis, links, images, code, math or
//     strikethrough take a backslash, and <, > and & are written as
//     entities, so no HTML (a <script>, a comment that hides the rest, a
//     </details> that ends a section early) comes through, and a '|' is
//     written \| so free text can go in a table cell; free text is the
//     words of a reason or of a policy's author, so a name it quotes may
//     still read as a mention on GitHub, and a URL in it as a link (one
//     that shows its target);
//   - in table cells (mdCell) a '|' is written \|, which GFM reads as a
//     '|' inside the cell, code spans included.
//
// Line breaks never reach the Markdown: printable writes them as \x0a.

// mdCode is s as a code span outside a table.
func mdCode(s string) string { return codeSpan(printable(s, false)) }

// mdCell is s as a code span in a table cell.
func mdCell(s string) string { return cellPipes(mdCode(s)) }

// mdText is free text, escaped, outside a table.
func mdText(s string) string {
	s = printable(s, false)
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '\\', '`', '*', '_', '[', ']', '!', '~', '$', '|':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdAddress is an address as a code span: backslashes doubled (as
// templateText does) so that an address that holds `\x1b` and one that
// holds ESC differ, and a '|' is never preceded by an odd backslash.
func mdAddress(addr string) string { return mdCode(strings.ReplaceAll(addr, `\`, `\\`)) }

// mdCellAddress is mdAddress in a table cell.
func mdCellAddress(addr string) string { return cellPipes(mdAddress(addr)) }

// codeSpan fences s with one backtick more than its longest run of them,
// padded with a space on each side when s starts or ends with a backtick
// or a space (CommonMark strips one space from each side of such a span).
func codeSpan(s string) string {
	if s == "" {
		return "` `"
	}
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if edge := s[0]; edge == '`' || edge == ' ' || s[len(s)-1] == '`' || s[len(s)-1] == ' ' {
		s = " " + s + " "
	}
	return fence + s + fence
}

// cellPipes escapes the pipes of a code span that goes in a table cell.
func cellPipes(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
