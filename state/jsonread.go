package state

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// reader reads the JSON text of a state document in one pass, without
// reflection: it knows the document's shape (decode_doc.go), so it can
// name every problem by its field and line, which encoding/json cannot
// (it drops a duplicate key's first value, takes unknown fields silently,
// turns bytes that are not UTF-8 into U+FFFD, and names Go types).
type reader struct {
	data []byte
	i    int
	// src streams the text when it is set (DecodeFrom): data is then a
	// window of it, which more moves on.
	src *source
	// size is the length of the whole text (a hint when it streams).
	size int
	// err is the first syntax error, found at errAt; once set, reading
	// stops.
	err   error
	errAt int
	first byte // the first byte of the document's value
	// problems are what the text shows wrong.
	problems []Problem
	// lines counts the lines up to lineAt, so that finding the line of
	// each problem in order stays linear.
	lineAt, lines int
	strs          map[string]string // interned values that repeat (providers, fleets, hosts…)
	last          [slots]string     // the last string interned in each slot
	depth         int               // of skip
	// lastTags is the tags map of the last record read, which the next
	// record shares when its tags are the same; tagPairs is the buffer
	// each record's tags are read into.
	lastTags map[string]string
	tagPairs []tagPair
	// lastDeps and depsBuf are the same for depends_on.
	lastDeps []string
	depsBuf  []string
	// vmsFree are records allocated and not yet used (newVM); own holds
	// the strings of records until they are made, many in one (ownText).
	vmsFree []VM
	own     texts
}

// fail records a syntax error at the current position.
func (r *reader) fail(format string, args ...any) {
	if r.err == nil {
		r.err, r.errAt = fmt.Errorf(format, args...), r.i
	}
	r.i = len(r.data)
}

func (r *reader) ws() {
	for r.i < len(r.data) || r.moreAt(&r.i) {
		switch r.data[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// peek returns the next byte after white space, or 0 at the end.
func (r *reader) peek() byte {
	r.ws()
	if r.i < len(r.data) {
		return r.data[r.i]
	}
	return 0
}

// eat consumes c, or fails.
func (r *reader) eat(c byte) bool {
	if r.peek() != c {
		r.fail("expected %q", c)
		return false
	}
	r.i++
	return true
}

// object reads an object, calling each with every key (decoded) and the
// offset of the key's quote; each reads the value. It returns false, and
// calls nothing, when the next value is not an object.
func (r *reader) object(each func(key []byte, at int)) bool {
	if r.peek() != '{' {
		return false
	}
	r.i++
	if r.peek() == '}' {
		r.i++
		return true
	}
	for r.err == nil {
		at := r.valueAt()
		key, _ := r.strBytes()
		if !r.eat(':') {
			return true
		}
		each(key, at)
		switch r.peek() {
		case ',':
			r.i++
		case '}':
			r.i++
			return true
		default:
			r.fail("expected ',' or '}' after an object's value")
		}
	}
	return true
}

// array reads an array, calling each for every element, which it reads.
// It returns false when the next value is not an array.
func (r *reader) array(each func(i int)) bool {
	if r.peek() != '[' {
		return false
	}
	r.i++
	if r.peek() == ']' {
		r.i++
		return true
	}
	for n := 0; r.err == nil; n++ {
		each(n)
		switch r.peek() {
		case ',':
			r.i++
		case ']':
			r.i++
			return true
		default:
			r.fail("expected ',' or ']' after an array's element")
		}
	}
	return true
}

// strBytes reads a string and returns its bytes, decoded (a slice of the
// text when it has no escapes), and what makes it unfit for a text field
// beyond what badText sees: an escape that is no character.
func (r *reader) strBytes() ([]byte, string) {
	if r.peek() != '"' {
		r.fail("expected a string")
		return nil, ""
	}
	start := r.i + 1
	escaped := false
	for j := start; j < len(r.data) || r.moreAt(&start, &j); j++ {
		switch c := r.data[j]; {
		case c == '"':
			r.i = j + 1
			if !escaped {
				return r.data[start:j], ""
			}
			return unescape(r.data[start:j])
		case c == '\\':
			escaped = true
			j++
		case c < 0x20:
			r.i = j
			r.fail("a string holds the control byte 0x%02X: write it as \\u%04x", c, c)
			return nil, ""
		}
	}
	r.i = len(r.data)
	r.fail("a string does not end")
	return nil, ""
}

// unescape decodes a string's escapes. A \u escape of half a surrogate
// pair alone becomes U+FFFD, and is reported.
func unescape(s []byte) ([]byte, string) {
	out := make([]byte, 0, len(s))
	bad := ""
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			out = append(out, s[i])
			continue
		}
		i++
		if i >= len(s) {
			break
		}
		switch c := s[i]; c {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			var r rune
			r, i = unicodeEscape(s, i)
			if r == utf8.RuneError && bad == "" {
				bad = "has an escape (\\u) of half a UTF-16 surrogate pair, which is no character"
			}
			out = utf8.AppendRune(out, r)
		default: // " \ / and, were the text not JSON, anything
			out = append(out, c)
		}
	}
	return out, bad
}

// unicodeEscape reads the \uXXXX at s[i] ('u'), and a second one when the
// first is a leading surrogate; it returns the rune and the index of the
// escape's last byte.
func unicodeEscape(s []byte, i int) (rune, int) {
	r1, ok := hex4(s, i+1)
	if !ok {
		return utf8.RuneError, min(i+4, len(s)-1)
	}
	i += 4
	if !utf16.IsSurrogate(r1) {
		return r1, i
	}
	if i+6 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
		if r2, ok := hex4(s, i+3); ok {
			if r := utf16.DecodeRune(r1, r2); r != utf8.RuneError {
				return r, i + 6
			}
		}
	}
	return utf8.RuneError, i
}

func hex4(s []byte, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(s[i:i+4]), 16, 32)
	return rune(n), err == nil
}

// number reads a number's text.
func (r *reader) number() []byte {
	r.ws()
	start := r.i
	for r.i < len(r.data) || r.moreAt(&start, &r.i) {
		switch c := r.data[r.i]; {
		case c >= '0' && c <= '9', c == '-', c == '+', c == '.', c == 'e', c == 'E':
			r.i++
		default:
			return r.checkNumber(start)
		}
	}
	return r.checkNumber(start)
}

func (r *reader) checkNumber(start int) []byte {
	text := r.data[start:r.i]
	if !json.Valid(text) {
		r.i = start
		r.fail("%q is not a number", text)
		return nil
	}
	return text
}

// literal reads true, false or null.
func (r *reader) literal() {
	for len(r.data)-r.i < len("false") && r.moreAt(&r.i) {
	}
	for _, lit := range [...]string{"true", "false", "null"} {
		if len(r.data)-r.i >= len(lit) && string(r.data[r.i:r.i+len(lit)]) == lit {
			r.i += len(lit)
			return
		}
	}
	r.fail("expected a value")
}

// maxNesting bounds how deep skip goes: a state document nests four
// deep, and a value nested much deeper is refused before it can exhaust
// the stack.
const maxNesting = 64

// skip reads any value: an unknown field's, or one of the wrong type.
func (r *reader) skip() {
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > maxNesting {
		r.fail("values are nested more than %d deep", maxNesting)
		return
	}
	switch c := r.peek(); {
	case c == '{':
		r.object(func([]byte, int) { r.skip() })
	case c == '[':
		r.array(func(int) { r.skip() })
	case c == '"':
		r.strBytes()
	case c == '-' || (c >= '0' && c <= '9'):
		r.number()
	default:
		r.literal()
	}
}

// lineOf returns the line of offset. Offsets asked in order cost the
// text between them once; one before the last asked is counted afresh.
func (r *reader) lineOf(offset int) int {
	if offset < r.lineAt {
		r.lineAt, r.lines = 0, 0
	}
	for _, c := range r.data[r.lineAt:offset] {
		if c == '\n' {
			r.lines++
		}
	}
	r.lineAt = offset
	return r.lines + 1
}
