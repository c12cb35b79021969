package local

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"strconv"
	"syscall"

	"github.com/novacron/novacron/internal/regularfile"
)

// headBytes is how much of the state file Write reads to learn the stored
// lineage and serial: state.Encode writes them first, so a lineage of up
// to some 4,000 bytes is found there whatever the number of VMs.
const headBytes = 4096

// head is the stored document's identity, what Write's lineage and serial
// rule compares.
type head struct {
	lineage string
	serial  uint64
}

// readHead reads the first headBytes of the regular file at path. It is
// opened without blocking (a FIFO would otherwise wait for a writer).
func readHead(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &regularfile.NotRegularError{Path: path, Mode: fi.Mode()}
	}
	buf := make([]byte, headBytes)
	n, err := io.ReadFull(f, buf)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = nil
	}
	return buf[:n], err
}

// parseHead reads format_version, lineage and serial from the start of a
// document in the shape state.Encode writes: those three keys first, in
// that order, format_version the one this build writes. It reports false
// for anything else (a hand-edited file, another format, a head cut short),
// and the caller decodes the whole document instead.
func parseHead(data []byte, formatVersion int) (head, bool) {
	p := headParser{data: data, ok: true}
	p.expect("{")
	version := p.number("format_version")
	p.expect(",")
	lineage := p.str("lineage")
	p.expect(",")
	serial := p.number("serial")
	p.space()
	if !p.ok || version != uint64(formatVersion) || len(p.data) == 0 || (p.data[0] != ',' && p.data[0] != '}') {
		return head{}, false
	}
	return head{lineage: lineage, serial: serial}, true
}

// headParser consumes data from the front; ok turns false at the first
// thing out of shape, and every later step does nothing.
type headParser struct {
	data []byte
	ok   bool
}

func (p *headParser) space() { p.data = bytes.TrimLeft(p.data, " \t\r\n") }

func (p *headParser) expect(tok string) {
	p.space()
	if !p.ok || !bytes.HasPrefix(p.data, []byte(tok)) {
		p.ok = false
		return
	}
	p.data = p.data[len(tok):]
}

// key consumes `"name":`.
func (p *headParser) key(name string) {
	if tok := p.token(); p.ok && tok != `"`+name+`"` {
		p.ok = false
	}
	p.expect(":")
	p.space()
}

// number consumes `"name": DIGITS`.
func (p *headParser) number(name string) uint64 {
	p.key(name)
	end := 0
	for end < len(p.data) && p.data[end] >= '0' && p.data[end] <= '9' {
		end++
	}
	v, err := strconv.ParseUint(string(p.data[:end]), 10, 64)
	if !p.ok || err != nil || end == len(p.data) { // at the end, the number may go on past the head
		p.ok = false
		return 0
	}
	p.data = p.data[end:]
	return v
}

// str consumes `"name": "STRING"`.
func (p *headParser) str(name string) string {
	p.key(name)
	tok := p.token()
	var s string
	if !p.ok || json.Unmarshal([]byte(tok), &s) != nil {
		p.ok = false
	}
	return s
}

// token consumes a JSON string with its quotes.
func (p *headParser) token() string {
	p.space()
	if !p.ok || len(p.data) == 0 || p.data[0] != '"' {
		p.ok = false
		return ""
	}
	for i := 1; i < len(p.data); i++ {
		switch p.data[i] {
		case '\\':
			i++
		case '"':
			tok := string(p.data[:i+1])
			p.data = p.data[i+1:]
			return tok
		}
	}
	p.ok = false
	return ""
}
