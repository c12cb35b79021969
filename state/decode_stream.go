package state

import (
	"bytes"
	"errors"
	"io"
)

// DecodeFrom reads a state document from src as it reads it, without
// holding its whole text: a large state's text (26 MB at 100,000 VMs)
// would otherwise be live beside the records it decodes to. size is the
// text's length when known (it sizes the map of VMs), or 0.
//
// It returns ok only for a document Decode would return without an
// error, and the same document. For any other text (not JSON, not a
// state document, one with a problem), or when src fails, it returns
// false: the caller then reads the text whole and calls Decode, whose
// diagnostics name lines and quote the text.
func DecodeFrom(src io.Reader, size int) (st *State, ok bool) {
	r := &reader{src: &source{rd: src}, size: size}
	for len(r.data) < len(bomUTF8) && r.moreAt(&r.i) {
	}
	for _, bom := range bomOther {
		if bytes.HasPrefix(r.data, bom) {
			return nil, false
		}
	}
	if bytes.HasPrefix(r.data, bomUTF8) {
		r.i = len(bomUTF8)
	}
	st, hasVersion := r.document()
	if r.err != nil || st == nil || !hasVersion || len(r.problems) > 0 {
		return nil, false
	}
	r.data = nil
	if invalid(check(st, nil)) != nil {
		return nil, false
	}
	return st, true
}

// streamChunk is how much of the text more reads at a time.
const streamChunk = 256 << 10

// errAbandoned stops a streamed read at its first problem: Decode, from
// the whole text, reports it.
var errAbandoned = errors.New("the document has a problem")

// source is the text a reader streams.
type source struct {
	rd io.Reader
	// spare is the window before the last: more reads into it next, so
	// that two buffers serve the whole text. A slice of a window stays
	// valid until the next call but one (a key, while its value is read).
	spare []byte
	// err is the error that ended the text: io.EOF at its end.
	err error
}

// moreAt reads more of a streamed text into r.data, keeping the bytes from
// *at[0] on and moving every offset of at to match: a window's worth, and
// at least until the last of them is inside r.data. It returns false when the text is not streamed, has
// ended or failed, or the reader has failed.
func (r *reader) moreAt(at ...*int) bool {
	s := r.src
	if s == nil || s.err != nil || r.err != nil {
		return false
	}
	from := *at[0]
	keep := r.data[from:]
	buf := s.spare
	if need := len(keep) + streamChunk; cap(buf) < need {
		buf = make([]byte, 0, max(need, 2*len(keep)))
	}
	buf = append(buf[:0], keep...)
	last := at[len(at)-1]
	for s.err == nil && (len(buf) < cap(buf) || *last-from >= len(buf)) {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := s.rd.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err != nil {
			s.err = err
		}
	}
	if s.err != nil && !errors.Is(s.err, io.EOF) {
		r.fail("reading the text: %v", s.err)
		return false
	}
	if r.data != nil {
		s.spare = r.data[:0]
	}
	r.data = buf
	for _, p := range at {
		*p -= from
	}
	return *last < len(r.data)
}

// abandon stops a streamed read: a problem's line and the text around it
// are Decode's to find, from the whole text.
func (r *reader) abandon() bool {
	if r.src == nil {
		return false
	}
	if r.err == nil {
		r.err = errAbandoned
	}
	r.i = len(r.data)
	return true
}
