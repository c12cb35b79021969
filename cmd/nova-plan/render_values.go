package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Every value a renderer prints came from a spec, a state file or a driver
// (a VM's name, host, tags, a template's settings), so none is printed as
// it is. Values are written as HCL writes them, which makes the rendering
// one-to-one, so two different values never print alike: strings quoted,
// with quotes, backslashes, line breaks, control characters and the
// characters that reorder or hide text escaped (\n, \u001b, \u202e), and
// map keys bare only when they are plain identifiers. Free text (reasons,
// warnings, errors from a provider) goes through printable.

// quoted writes s as an HCL quoted string.
func quoted(s string) string {
	if plainString(s) {
		return `"` + s + `"`
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		b.WriteString(escapeRune(s, i, r, size))
		i += size
	}
	b.WriteByte('"')
	return b.String()
}

// plainString reports a string of printable ASCII that needs no escape:
// the common case, written as it is.
func plainString(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || ((c == '$' || c == '%') && i+1 < len(s) && s[i+1] == '{') {
			return false
		}
	}
	return true
}

// escapeRune is how the character r at s[i:i+size] is written in an HCL
// string; a byte that is not UTF-8 is written \xNN (HCL has no such
// escape, but nothing else shows which byte it was).
func escapeRune(s string, i int, r rune, size int) string {
	switch {
	case r == utf8.RuneError && size == 1:
		return fmt.Sprintf(`\x%02x`, s[i])
	case r == '\n':
		return `\n`
	case r == '\r':
		return `\r`
	case r == '\t':
		return `\t`
	case r == '"' || r == '\\':
		return `\` + string(r)
	case (r == '$' || r == '%') && i+1 < len(s) && s[i+1] == '{':
		return string(r) + string(r) // $${ and %%{: HCL's template escapes
	case !unicode.IsPrint(r) || hidden(r):
		if r > 0xffff {
			return fmt.Sprintf(`\U%08x`, r)
		}
		return fmt.Sprintf(`\u%04x`, r)
	}
	return string(r)
}

// mapKey writes a map key: bare when it is an identifier, else quoted.
func mapKey(k string) string {
	if plainIdentifier(k) || hclsyntax.ValidIdentifier(k) {
		return k
	}
	return quoted(k)
}

// formatTags writes tags as an HCL map, in key order.
func formatTags(tags map[string]string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range sortedKeys(tags) {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(mapKey(k))
		b.WriteString(" = ")
		b.WriteString(quoted(tags[k]))
	}
	b.WriteByte('}')
	return b.String()
}

// sortedKeys returns a map's keys in order; a map of one key, as most VMs'
// tags are, without sorting.
func sortedKeys(m map[string]string) []string {
	if len(m) > 1 {
		return slices.Sorted(maps.Keys(m))
	}
	for k := range m {
		return []string{k}
	}
	return nil
}

// cell is a value in a table (inventory): as it is when it is plain, quoted
// when it holds spaces, quotes or anything escaped, so a column cannot be
// forged from inside a value.
func cell(s string) string {
	if plainString(s) && !strings.ContainsRune(s, ' ') {
		return s
	}
	return quoted(s)
}

// plainIdentifier reports an ASCII identifier (a letter or '_', then
// letters, digits, '_' and '-'), which hclsyntax.ValidIdentifier accepts:
// the common tag key, told without scanning it as HCL.
func plainIdentifier(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
		if !letter && (i == 0 || !(c >= '0' && c <= '9' || c == '-')) {
			return false
		}
	}
	return s != ""
}
