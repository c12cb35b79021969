package state

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Encode renders the document with one VM per line, sorted by
// address: readable and friendly to diff. It writes what encoding/json
// writes for the same values (without HTML escaping), by hand: this runs
// many times a second during a large apply, and reflection was most of its
// cost.
func Encode(st *State) ([]byte, error) {
	return EncodeSized(st, 0)
}

// EncodeSized is Encode into a buffer of at least size bytes. A caller
// that encodes a document again and again passes the size it expects from
// the last encoding: growing a 25 MB buffer by doubling costs a copy and
// twice the memory. Too small a size costs only that growth.
func EncodeSized(st *State, size int) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(max(size, 256*(len(st.VMs)+1)))
	fmt.Fprintf(&b, "{\n  \"format_version\": %d,\n  \"lineage\": ", st.FormatVersion)
	buf := appendString(b.AvailableBuffer(), st.Lineage)
	b.Write(buf)
	fmt.Fprintf(&b, ",\n  \"serial\": %d,\n  \"vms\": {", st.Serial)
	for i, addr := range st.Addresses() {
		if i > 0 {
			b.WriteByte(',')
		}
		buf = append(b.AvailableBuffer(), "\n    "...)
		buf = appendString(buf, addr)
		buf = append(buf, ": "...)
		b.Write(appendVM(buf, st.VMs[addr]))
	}
	if len(st.VMs) > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("}")
	if len(st.Abandoned) > 0 {
		b.WriteString(",\n  \"abandoned\": [")
		for i, ref := range st.Abandoned {
			buf = b.AvailableBuffer()
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendString(append(buf, `{"provider":`...), ref.Provider)
			buf = appendString(append(buf, `,"id":`...), ref.ID)
			b.Write(append(buf, '}'))
		}
		b.WriteString("]")
	}
	b.WriteString("\n}\n")
	return b.Bytes(), nil
}

// appendVM appends a record as one line of JSON: the fields of VM
// in their order, the empty optional ones left out.
func appendVM(b []byte, vm *VM) []byte {
	b = appendString(append(b, `{"provider":`...), vm.Provider)
	b = appendString(append(b, `,"id":`...), vm.ID)
	b = appendString(append(b, `,"fleet":`...), vm.Fleet)
	b = appendString(append(b, `,"name":`...), vm.Name)
	if vm.Host != "" {
		b = appendString(append(b, `,"host":`...), vm.Host)
	}
	b = strconv.AppendInt(append(b, `,"cpu":`...), int64(vm.CPU), 10)
	b = strconv.AppendInt(append(b, `,"memory_mib":`...), vm.MemoryMiB, 10)
	b = strconv.AppendInt(append(b, `,"disk_gb":`...), int64(vm.DiskGB), 10)
	b = appendString(append(b, `,"power":`...), vm.Power)
	if vm.Template != "" {
		b = appendString(append(b, `,"template":`...), vm.Template)
	}
	if len(vm.Tags) > 0 {
		b = appendTags(append(b, `,"tags":`...), vm.Tags)
	}
	if vm.SpecHash != "" {
		b = appendString(append(b, `,"spec_hash":`...), vm.SpecHash)
	}
	if len(vm.DependsOn) > 0 {
		b = append(b, `,"depends_on":[`...)
		for i, dep := range vm.DependsOn {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, dep)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// appendTags appends tags as an object, its keys sorted.
func appendTags(b []byte, tags map[string]string) []byte {
	b = append(b, '{')
	if len(tags) == 1 { // the common case, without sorting
		for k, v := range tags {
			b = appendString(b, k)
			return append(appendString(append(b, ':'), v), '}')
		}
	}
	for i, k := range slices.Sorted(maps.Keys(tags)) {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(append(appendString(b, k), ':'), tags[k])
	}
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string the way encoding/json writes it
// without HTML escaping: \" \\ \n \r \t, other control bytes as \u00XX,
// U+2028 and U+2029 escaped, bytes that are not UTF-8 as \ufffd.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf && c != '"' && c != '\\' {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			b = appendEscape(b, c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			if r == utf8.RuneError {
				b = append(b, `\ufffd`...)
			} else {
				b = append(append(b, `\u202`...), hexDigits[r&0xF])
			}
			start = i + size
		}
		i += size
	}
	return append(append(b, s[start:]...), '"')
}

// appendEscape appends the escape of an ASCII byte JSON must escape.
func appendEscape(b []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	case '\b': // as encoding/json writes them since Go 1.22
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}

// AppendJSONString appends s as a JSON string, escaped as Encode escapes
// it, for other packages' append encoders (the sim's journal).
func AppendJSONString(b []byte, s string) []byte { return appendString(b, s) }

// AppendJSONStringMap appends m as a JSON object, its keys sorted and its
// strings escaped as Encode does; an empty or nil m is {}.
func AppendJSONStringMap(b []byte, m map[string]string) []byte { return appendTags(b, m) }
