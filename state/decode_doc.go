package state

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// The shape of a state document, as the reader walks it. Each value is
// read with its type checked; a value of the wrong type is skipped and
// reported, in words a user knows ("must be a whole number"), never Go's.

const fixValue = "Correct it, or restore the file from a backup."

// report adds a problem found in the text at offset at.
func (r *reader) report(field, what, fix string, at int) {
	if r.abandon() {
		return
	}
	r.problems = append(r.problems, Problem{Field: field, What: what, Fix: fix, Line: r.lineOf(at)})
}

// document reads the top-level object. It returns nil when the text is not
// an object, and whether format_version was there.
func (r *reader) document() (*State, bool) {
	r.first = r.peek()
	if r.first != '{' {
		r.skip()
		r.end()
		return nil, false
	}
	st := &State{}
	hasVersion := false
	seen := map[string]int{}
	r.object(func(key []byte, at int) {
		name := string(key)
		if first, dup := seen[name]; dup {
			r.duplicateKey("the document", name, first, at)
		}
		seen[name] = at
		vat := r.valueAt()
		switch name {
		case "format_version":
			hasVersion = true
			n, bad := r.whole()
			if bad == nullWhole {
				bad = "is null, which is not a NovaCron state format (they start at 1)"
			}
			st.FormatVersion = int(n)
			r.check(name, bad, vat)
		case "lineage":
			var bad string
			st.Lineage, bad = r.text(noIntern)
			r.check(name, bad, vat)
		case "serial":
			st.Serial = r.serial(vat)
		case "vms":
			var bad string
			st.VMs, bad = r.vms()
			r.checkFix(name, bad, "Write {} for no VMs, or restore the file from a backup.", vat)
		case "abandoned":
			var bad string
			st.Abandoned, bad = r.abandoned()
			r.checkFix(name, bad, `Write a list of {"provider": "TYPE.NAME", "id": "…"} records, or leave the field out.`, vat)
		default:
			r.unknownField(fieldText(name), at)
		}
	})
	r.end()
	r.own.flush()
	if st.VMs == nil && r.err == nil {
		st.VMs = map[string]*VM{}
	}
	return st, hasVersion
}

// end checks that nothing but white space follows the document.
func (r *reader) end() {
	if r.peek() != 0 && r.err == nil {
		r.fail("invalid character %q after the document", r.data[r.i])
	}
}

// valueAt returns the offset of the next value.
func (r *reader) valueAt() int {
	r.ws()
	return r.i
}

func (r *reader) check(field, bad string, at int) { r.checkFix(field, bad, fixValue, at) }

func (r *reader) checkFix(field, bad, fix string, at int) {
	if bad != "" && r.err == nil {
		r.report(field, bad, fix, at)
	}
}

// fieldText is a key as a problem names it: bare when it reads as a name.
func fieldText(key string) string {
	for i := 0; i < len(key); i++ {
		if c := key[i]; !(c == '_' || c == '-' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
			return fmt.Sprintf("%q", key)
		}
	}
	if key == "" {
		return `""`
	}
	return key
}

// unknownField reports a field the format does not have, and skips its
// value: NovaCron would not read it, and would drop it on its next write.
func (r *reader) unknownField(field string, at int) {
	r.skip()
	if r.err == nil {
		r.report(field, fmt.Sprintf("is not a field of format_version %d state documents", FormatVersion),
			"Remove it: NovaCron does not read it, and would drop it when it next writes the state.", at)
	}
}

// duplicateKey reports a key an object has twice: a JSON reader keeps one
// of the two values, so the other (a VM's record, say) would be lost.
func (r *reader) duplicateKey(object, key string, first, at int) {
	if r.abandon() {
		return
	}
	lines := fmt.Sprintf("line %d", r.lineOf(at))
	if first >= 0 && len(r.problems) < maxListed {
		lines = fmt.Sprintf("lines %d and %d", r.lineOf(first), r.lineOf(at))
	}
	r.problems = append(r.problems, Problem{Field: object,
		What: fmt.Sprintf("has the key %q twice (%s): a JSON reader keeps only one of them, and the other would be lost", key, lines),
		Fix:  "Keep one of the two, or restore the file from a backup."})
}

// text reads a string value; it interns values that repeat across records
// (intern) unless slot is noIntern.
func (r *reader) text(slot int) (string, string) {
	switch c := r.peek(); c {
	case '"':
		b, bad := r.strBytes()
		if bad == "" && !utf8.Valid(b) {
			bad = badTextFrom(string(b), 0)
		}
		if slot != noIntern {
			return r.intern(b, slot), bad
		}
		return string(b), bad
	case 'n':
		r.literal()
		return "", "is null: give it a value, or leave the field out"
	default:
		r.skip()
		return "", "must be a string, but it is " + kindOf(c)
	}
}

// The slots of intern: a field's value is most often the one the record
// before had.
const (
	noIntern = iota - 1
	slotProvider
	slotFleet
	slotHost
	slotPower
	slotTemplate
	slotTagKey
	slotTagValue
	slotOther
	slots
)

// intern returns b as a string, the same string for the same bytes: a
// 10,000-VM document names a few providers, fleets and hosts many times.
// The last string of each slot is compared first.
func (r *reader) intern(b []byte, slot int) string {
	if s := r.last[slot]; s == string(b) {
		return s
	}
	s, ok := r.strs[string(b)]
	if !ok {
		if r.strs == nil {
			r.strs = map[string]string{}
		}
		s = string(b)
		if len(r.strs) < 4096 {
			r.strs[s] = s
		}
	}
	r.last[slot] = s
	return s
}

// ownText reads a string value that is each record's own (an id, a
// name) into *dst, which is set when the reader next flushes r.own.
func (r *reader) ownText(dst *string) string {
	if r.peek() != '"' {
		s, bad := r.text(noIntern)
		*dst = s
		return bad
	}
	b, bad := r.strBytes()
	if bad == "" && !utf8.Valid(b) {
		bad = badTextFrom(string(b), 0)
	}
	r.own.add(dst, b)
	return bad
}

// texts makes the strings of many records in one allocation: a string
// per id, name and spec hash would be most of the allocations a large
// document costs. The strings are set when the bytes gathered reach
// textsBlock, and at the end of the document (flush).
type texts struct {
	buf     []byte
	pending []pendingText
}

// pendingText is a string to set: *dst = buf[start:end].
type pendingText struct {
	dst        *string
	start, end int
}

const textsBlock = 16 << 10

func (t *texts) add(dst *string, b []byte) {
	t.pending = append(t.pending, pendingText{dst, len(t.buf), len(t.buf) + len(b)})
	t.buf = append(t.buf, b...)
	if len(t.buf) >= textsBlock {
		t.flush()
	}
}

// flush sets the strings gathered, all slices of one.
func (t *texts) flush() {
	s := string(t.buf)
	for _, p := range t.pending {
		*p.dst = s[p.start:p.end]
	}
	t.buf, t.pending = t.buf[:0], t.pending[:0]
}

// whole reads a whole number.
func (r *reader) whole() (int64, string) {
	switch c := r.peek(); {
	case c == '-' || (c >= '0' && c <= '9'):
		text := r.number()
		n, ok, big := parseWhole(text)
		switch {
		case big:
			return 0, fmt.Sprintf("is %s, which is too large", text)
		case !ok:
			return 0, fmt.Sprintf("must be a whole number, but it is %s", text)
		}
		return n, ""
	case c == 'n':
		r.literal()
		return 0, nullWhole
	default:
		r.skip()
		return 0, "must be a whole number, but it is " + kindOf(c)
	}
}

// nullWhole is what whole says of a null.
const nullWhole = "is null: give it a value, or leave the field out"

// parseWhole reads an integer's JSON text: ok is false for a fraction or
// an exponent, big for one beyond int64.
func parseWhole(text []byte) (n int64, ok, big bool) {
	neg := bytes.HasPrefix(text, []byte("-"))
	digits := bytes.TrimPrefix(text, []byte("-"))
	var u uint64
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false, false
		}
		if u > (1<<63)/10 {
			return 0, true, true
		}
		u = u*10 + uint64(c-'0')
	}
	switch {
	case neg && u <= 1<<63:
		return -int64(u), true, false
	case !neg && u < 1<<63:
		return int64(u), true, false
	}
	return 0, true, true
}

// serial reads the serial: a whole number from 0 to MaxSerial (which
// Validate checks).
func (r *reader) serial(at int) uint64 {
	const fix = "Set it to the serial of the last write (any whole number ≥ 0 will do for a hand-made document), or restore the file from a backup."
	c := r.peek()
	if c != '-' && (c < '0' || c > '9') {
		r.skip()
		r.checkFix("serial", "must be a whole number ≥ 0, but it is "+kindOf(c), fix, at)
		return 0
	}
	text := r.number()
	n, ok, big := parseWhole(text)
	switch {
	case ok && big && text[0] != '-':
		r.checkFix("serial", fmt.Sprintf("is %s, beyond %d (2^53): NovaCron raises it by one per write and never gets there", text, uint64(MaxSerial)),
			"Restore the file from a backup.", at)
	case !ok || big || n < 0:
		r.checkFix("serial", fmt.Sprintf("must be a whole number ≥ 0, but it is %s", text), fix, at)
	default:
		return uint64(n)
	}
	return 0
}

// maxInt is the largest int on this platform.
const maxInt = int(^uint(0) >> 1)

// wholeInt is whole for an int field.
func (r *reader) wholeInt() (int, string) {
	n, bad := r.whole()
	if bad == "" && (n > int64(maxInt) || n < -int64(maxInt)-1) {
		return 0, fmt.Sprintf("is %d, which is too large", n)
	}
	return int(n), bad
}
