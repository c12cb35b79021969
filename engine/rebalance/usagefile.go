package rebalance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/forecast"
)

// UsageFormatVersion is the version of the -utilization file format
// (docs/scheduling.md).
const UsageFormatVersion = 1

// MaxUsageFileBytes caps a -utilization file: 256 MiB, some two million
// VMs with a day of hourly samples each. A larger file (or one that never
// ends, such as /dev/zero) is refused before it is decoded.
const MaxUsageFileBytes = 256 << 20

// Usage is one VM's entry of a utilization file: its use now, and
// optionally its history (for -predict).
type Usage struct {
	CPU       *float64          `json:"cpu"`        // cores in use
	MemoryMiB *float64          `json:"memory_mib"` // MiB in use
	Samples   []usageSample     `json:"samples"`
	Range     hcl.Range         `json:"-"`
	History   []forecast.Sample `json:"-"`
}

type usageSample struct {
	Time      time.Time `json:"time"`
	CPU       float64   `json:"cpu"`
	MemoryMiB float64   `json:"memory_mib"`
}

// UsageFile is a decoded utilization file: use by VM address.
type UsageFile struct {
	VMs map[string]*Usage
}

// DecodeUsage decodes a utilization file; every problem is a diagnostic
// at its line and column.
func DecodeUsage(name string, src []byte) (*UsageFile, hcl.Diagnostics) {
	d := usageDecoder{name: name, src: src, dec: json.NewDecoder(bytes.NewReader(src))}
	f := &UsageFile{VMs: map[string]*Usage{}}
	var syn *json.SyntaxError
	if err := json.Unmarshal(src, new(validOnly)); errors.As(err, &syn) { // its offset counts from the file's start
		off := int(syn.Offset) - 1 // the offending byte
		if int(syn.Offset) >= len(src) {
			off = len(src) // the file ends too early
		}
		d.errorAt(off, "Invalid JSON", syn.Error())
		return f, d.diags
	}
	d.object(func(key string, start int) bool {
		switch key {
		case "format_version":
			var v int
			if !d.value(&v, key) {
				return false
			}
			if v != UsageFormatVersion {
				d.errorAt(start, "Unsupported utilization format", fmt.Sprintf("format_version %d: this nova-plan reads version %d.", v, UsageFormatVersion))
			}
		case "vms":
			return d.object(func(addr string, start int) bool { return d.vm(f, addr, start) })
		default:
			d.errorAt(start, "Unknown setting", fmt.Sprintf("%q is not a setting of a utilization file: use format_version and vms.", key))
			return false
		}
		return true
	})
	return f, d.diags
}

type usageDecoder struct {
	name  string
	src   []byte
	dec   *json.Decoder
	diags hcl.Diagnostics
	lines []int // where each line starts, built on first use
}

// object reads one JSON object, calling each for every key with the
// offset the key starts at; false stops.
func (d *usageDecoder) object(each func(key string, start int) bool) bool {
	if !d.delim('{', "an object") {
		return false
	}
	seen := map[string]int{}
	for d.dec.More() {
		start := int(d.dec.InputOffset())
		tok, err := d.dec.Token()
		if err != nil {
			d.jsonError(err, start)
			return false
		}
		key, at := tok.(string), d.skipSpace(start)
		if first, ok := seen[key]; ok {
			d.duplicate(key, at, first)
			return false
		}
		seen[key] = at
		if !each(key, at) {
			return false
		}
	}
	return d.delim('}', "the object's end")
}

func (d *usageDecoder) delim(want json.Delim, what string) bool {
	start := int(d.dec.InputOffset())
	tok, err := d.dec.Token()
	if err != nil {
		d.jsonError(err, start)
		return false
	}
	if tok != want {
		d.errorAt(d.skipSpace(start), "Invalid utilization file", fmt.Sprintf("Expected %s here.", what))
		return false
	}
	return true
}

// value decodes the next value, of the key name, into v: a scalar, or
// null. A value of the wrong type is an error at its first byte.
func (d *usageDecoder) value(v any, name string) bool {
	start := d.skipSpace(int(d.dec.InputOffset()))
	err := d.dec.Decode(v)
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
		return true
	case errors.As(err, &typ):
		d.errorAt(start, "Invalid value", fmt.Sprintf("%s: expected %s, got a JSON %s.", name, typ.Type, typ.Value))
	default:
		d.jsonError(err, start)
	}
	return false
}

// vm decodes one VM's entry and checks its values.
func (d *usageDecoder) vm(f *UsageFile, addr string, start int) bool {
	u := &Usage{}
	valueAt := d.skipSpace(int(d.dec.InputOffset()))
	if !d.entry(u) {
		return false
	}
	u.Range = d.rng(start)
	f.VMs[addr] = u
	switch {
	case u.CPU == nil && len(u.Samples) == 0:
		d.errorAt(valueAt, "Missing cpu", fmt.Sprintf("%q: give cpu (cores in use) and memory_mib, or samples.", addr))
	case u.CPU != nil && u.MemoryMiB == nil, u.CPU == nil && u.MemoryMiB != nil:
		d.errorAt(valueAt, "Missing value", fmt.Sprintf("%q: give cpu and memory_mib together.", addr))
	}
	for _, x := range append([]*float64{u.CPU, u.MemoryMiB}, sampleValues(u)...) {
		if x != nil && (*x < 0 || !finite(*x)) {
			d.errorAt(valueAt, "Invalid use", fmt.Sprintf("%q: a use of %g; cpu and memory_mib are cores and MiB in use, 0 or more.", addr, *x))
			break
		}
	}
	for _, s := range u.Samples {
		u.History = append(u.History, forecast.Sample{Time: s.Time, CPU: s.CPU, MemoryMiB: s.MemoryMiB})
	}
	return true
}

func sampleValues(u *Usage) []*float64 {
	var out []*float64
	for i := range u.Samples {
		out = append(out, &u.Samples[i].CPU, &u.Samples[i].MemoryMiB)
	}
	return out
}

// Now is the VM's use now: cpu and memory_mib, else its newest sample.
func (u *Usage) Now() (cpu, mem float64) {
	if u.CPU != nil && u.MemoryMiB != nil {
		return *u.CPU, *u.MemoryMiB
	}
	newest := u.Samples[0]
	for _, s := range u.Samples[1:] {
		if s.Time.After(newest.Time) {
			newest = s
		}
	}
	return newest.CPU, newest.MemoryMiB
}

// duplicate is the error of a key given twice in one object.
func (d *usageDecoder) duplicate(key string, at, first int) {
	r := d.rng(first)
	d.errorAt(at, "Duplicate key", fmt.Sprintf("%q is given twice in one object (first at line %d, column %d).", key, r.Start.Line, r.Start.Column))
}

// jsonError turns a decoder error into a diagnostic at its offset
// (absolute for syntax errors, from base for type errors).
func (d *usageDecoder) jsonError(err error, base int) {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		d.errorAt(int(syn.Offset), "Invalid JSON", syn.Error())
	case errors.As(err, &typ):
		d.errorAt(d.valueStart(base+int(typ.Offset)), "Invalid value", fmt.Sprintf("%s: expected %s, got a JSON %s.", typ.Field, typ.Type, typ.Value))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		d.errorAt(len(d.src), "Invalid JSON", "The file ends too early.")
	default:
		d.errorAt(d.skipSpace(base), "Invalid utilization file", err.Error())
	}
}

func (d *usageDecoder) errorAt(off int, summary, detail string) {
	r := d.rng(off)
	detail = fmt.Sprintf("%s:%d:%d: %s", r.Filename, r.Start.Line, r.Start.Column, detail)
	d.diags = append(d.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: &r})
}

// valueStart is where the scalar value that ends before off starts: a
// type error's offset is the end of the value.
func (d *usageDecoder) valueStart(off int) int {
	i := min(off, len(d.src)) - 1
	for i > 0 && bytes.IndexByte([]byte(" \t\r\n"), d.src[i]) >= 0 {
		i--
	}
	if i < 0 {
		return 0
	}
	if d.src[i] == '"' {
		for i--; i > 0 && (d.src[i] != '"' || d.src[i-1] == '\\'); i-- {
		}
		return max(i, 0)
	}
	for i > 0 && bytes.IndexByte([]byte("0123456789+-.eEtruefalsn"), d.src[i-1]) >= 0 {
		i--
	}
	return i
}

// skipSpace is the offset of the first byte at or after off that is not
// JSON space, a comma or a colon.
func (d *usageDecoder) skipSpace(off int) int {
	for off < len(d.src) && bytes.IndexByte([]byte(" \t\r\n,:"), d.src[off]) >= 0 {
		off++
	}
	return off
}

// rng is the one-byte range at offset off, with its line and column:
// a binary search in the line starts, found once for the whole file, so
// decoding stays linear in the file's size.
func (d *usageDecoder) rng(off int) hcl.Range {
	off = min(max(off, 0), len(d.src))
	if d.lines == nil {
		d.lines = lineStarts(d.src)
	}
	i := sort.SearchInts(d.lines, off+1) - 1 // the last line starting at or before off
	line, col := i+1, off-d.lines[i]+1
	p := hcl.Pos{Line: line, Column: col, Byte: off}
	end := p
	if off < len(d.src) {
		end.Byte, end.Column = off+1, col+1
	}
	return hcl.Range{Filename: d.name, Start: p, End: end}
}

// lineStarts is the offset every line of src starts at.
func lineStarts(src []byte) []int {
	starts := make([]int, 1, 1+bytes.Count(src, []byte{'\n'}))
	for i, b := range src {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}
