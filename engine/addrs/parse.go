package addrs

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// forms is the hint that closes errors about an address's overall shape.
const forms = `write fleet.NAME, fleet.NAME[INDEX], fleet.NAME["KEY"] or vm.NAME, after module.NAME. inside a module`

// ParseError is text that is not an address. Reason says why, in words
// that follow "is not a VM address: ".
type ParseError struct {
	Input  string
	What   string // "VM address" or "fleet address"
	Reason string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s is not a %s: %s", quoteShort(e.Input), e.What, e.Reason)
}

// ParseInstance reads a VM address: fleet.NAME, fleet.NAME[INDEX],
// fleet.NAME["KEY"] or vm.NAME. INDEX is a whole number without leading
// zeros; KEY is a double-quoted string, which may use Go's (and HCL's)
// escapes — String then writes it in the canonical form.
func ParseInstance(s string) (Instance, error) {
	a, reason := parseInstance(s)
	if reason != "" {
		return Instance{}, &ParseError{Input: s, What: "VM address", Reason: reason}
	}
	return a, nil
}

// ParseFleet reads a fleet address: fleet.NAME or vm.NAME, after a module
// path (module.web.fleet.NAME) inside a module.
func ParseFleet(s string) (Fleet, error) {
	m, rest, reason := parseModulePrefix(s)
	if reason != "" {
		return Fleet{}, &ParseError{Input: s, What: "fleet address", Reason: reason}
	}
	text, key, hasKey := strings.Cut(rest, "[")
	f, reason := parseFleetIn(m, rest, text)
	if reason == "" && hasKey {
		reason = fmt.Sprintf("a fleet address has no index or key (%s is the address of one of its VMs)", safe("["+key))
	}
	if reason != "" {
		return Fleet{}, &ParseError{Input: s, What: "fleet address", Reason: reason}
	}
	return f, nil
}

func parseInstance(s string) (Instance, string) {
	var m Module
	if strings.HasPrefix(s, "module.") {
		var reason string
		if m, s, reason = parseModulePrefix(s); reason != "" {
			return Instance{}, reason
		}
	}
	text, keyText, hasKey := strings.Cut(s, "[")
	f, reason := parseFleetIn(m, s, text)
	switch {
	case reason != "":
		return Instance{}, reason
	case !hasKey:
		return f.Instance(NoKey), ""
	case f.Kind == KindVM:
		return Instance{}, fmt.Sprintf("a vm block has a single instance, so its address takes no index or key (%s)", f)
	}
	k, reason := parseKey(keyText)
	return f.Instance(k), reason
}

// parseFleetIn reads the fleet part of an address inside module m; rest
// is the whole text after the module path.
func parseFleetIn(m Module, rest, text string) (Fleet, string) {
	if m.IsRoot() {
		return parseFleet(text)
	}
	if rest == "" {
		return Fleet{}, m.String() + " is a module: write " + m.String() + ".fleet.NAME or " + m.String() + ".vm.NAME for a fleet in it"
	}
	f, reason := parseFleet(text)
	f.Module = m
	return f, reason
}

func parseFleet(s string) (Fleet, string) {
	kind, name, ok := strings.Cut(s, ".")
	var f Fleet
	switch {
	case s == "":
		return f, "it is empty: " + forms
	case strings.TrimSpace(s) != s:
		return f, "it has spaces around it: " + forms
	case ok && kind == "fleet":
		f.Kind = KindFleet
	case ok && kind == "vm":
		f.Kind = KindVM
	case ValidName(s):
		return f, fmt.Sprintf("it does not start with fleet. or vm.: write fleet.%s for a fleet or vm.%s for a vm block", s, s)
	default:
		return f, "it does not start with fleet. or vm.: " + forms
	}
	if !ValidName(name) {
		return f, fmt.Sprintf("%s is not a fleet or vm name (a letter, then letters, digits, '_' or '-')", quoteShort(name))
	}
	f.Name = name
	return f, ""
}

// parseKey reads what follows '[': an index or a quoted key, then ']'
// and nothing more.
func parseKey(t string) (Key, string) {
	if strings.HasPrefix(t, `"`) {
		return parseStringKey(t)
	}
	end := strings.IndexByte(t, ']')
	if end < 0 {
		return Key{}, "the index or key does not end with ']'"
	}
	if rest := t[end+1:]; rest != "" {
		return Key{}, trailing(rest)
	}
	return parseIndex(t[:end])
}

func trailing(rest string) string {
	return fmt.Sprintf("the index or key does not end with ']': the address must end there, but %s follows", quoteShort(rest))
}

func parseIndex(idx string) (Key, string) {
	if n, ok := plainIndex(idx); ok {
		return IntKey(n), ""
	}
	digits := allDigits(idx)
	switch {
	case strings.HasPrefix(idx, "-") && allDigits(idx[1:]):
		return Key{}, fmt.Sprintf("the index %q is not a whole number: count indexes start at 0", idx)
	case !digits && ValidName(strings.Trim(idx, "'")):
		return Key{}, fmt.Sprintf("the index %s is not a whole number; a for_each key is written in double quotes: [%s]",
			quoteShort(idx), quoteShort(strings.Trim(idx, "'")))
	case !digits:
		return Key{}, fmt.Sprintf("the index %s is not a whole number: write [0], [1], … for a counted fleet or [\"KEY\"] for a for_each fleet", quoteShort(idx))
	case idx[0] == '0' && idx != "0":
		return Key{}, fmt.Sprintf("the index %q is not a whole number written without leading zeros: write [%s]", idx, trimZeros(idx))
	}
	n, err := strconv.Atoi(idx)
	if err != nil {
		return Key{}, fmt.Sprintf("the index %s is too large", quoteShort(idx))
	}
	return IntKey(n), ""
}

// plainIndex reads the common index quickly: up to 9 digits without a
// leading zero, which fit an int on every platform.
func plainIndex(idx string) (int, bool) {
	if idx == "" || len(idx) > 9 || (idx[0] == '0' && len(idx) > 1) {
		return 0, false
	}
	n := 0
	for i := 0; i < len(idx); i++ {
		c := idx[i]
		if !isDigit(c) {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// allDigits reports whether s is one or more decimal digits.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func trimZeros(idx string) string {
	if t := strings.TrimLeft(idx, "0"); t != "" {
		return t
	}
	return "0"
}

// parseStringKey reads `"KEY"]`.
func parseStringKey(t string) (Key, string) {
	end := closingQuote(t)
	if end < 0 {
		return Key{}, fmt.Sprintf("the key %s is not a quoted string: it has no closing '\"'", safe(strings.TrimSuffix(t, "]")))
	}
	quoted, rest := t[:end+1], t[end+1:]
	switch {
	case !strings.HasPrefix(rest, "]"):
		return Key{}, "the index or key does not end with ']'"
	case rest != "]":
		return Key{}, trailing(rest[1:])
	}
	k, err := strconv.Unquote(quoted)
	if err != nil {
		return Key{}, fmt.Sprintf("the key %s is not a quoted string: it has an invalid escape or a line break", safe(quoted))
	}
	return StringKey(k), ""
}

// closingQuote returns the index of the quote that closes the string t
// opens, or -1.
func closingQuote(t string) int {
	for i := 1; i < len(t); i++ {
		switch t[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

// safe returns s as it is when every character prints, else quoted, so
// that an error never carries control characters to a terminal.
func safe(s string) string {
	if len(s) > maxShown {
		return quoteShort(s)
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return quoteShort(s)
		}
	}
	return s
}

// maxShown bounds how much of a hostile input an error repeats.
const maxShown = 80

// quoteShort quotes s, cut to maxShown bytes.
func quoteShort(s string) string {
	if len(s) > maxShown {
		return strconv.Quote(s[:maxShown]) + "…"
	}
	return strconv.Quote(s)
}
