package state_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/state"
)

// readers are the ways a streamed text may arrive: whole, a byte at a
// time, half of what is asked, and with its end and io.EOF together.
var readers = []struct {
	name string
	wrap func(io.Reader) io.Reader
}{
	{"whole", func(r io.Reader) io.Reader { return r }},
	{"one byte", iotest.OneByteReader},
	{"half", iotest.HalfReader},
	{"EOF with data", iotest.DataErrReader},
}

// TestDecodeFromAgreesWithDecode: DecodeFrom returns what Decode returns
// for every document Decode accepts, and refuses (for Decode to explain)
// every one Decode refuses, however the text arrives.
func TestDecodeFromAgreesWithDecode(t *testing.T) {
	long := strings.Repeat(`a\"\u00e9\n`, 80_000) // a value longer than a window, escapes across its edges
	docs := []struct{ name, text string }{
		{"as written", doc},
		{"byte-order mark", "\uFEFF" + doc},
		{"escapes", strings.Replace(doc, `"name":"web-0"`, `"name":"w\u0065b-\u0030"`, 1)},
		{"minimal", `{"format_version": 1, "lineage": "lin-1"}`},
		{"a long tag value", strings.Replace(doc, `"env":"prod"`, `"env":"`+long+`"`, 1)},
		{"a long number", strings.Replace(doc, `"cpu":2`, `"cpu":2`+strings.Repeat("0", 300_000), 1)},
		{"large", largeDoc(t, 3000)},
		// Refused: Decode says why.
		{"torn", doc[:len(doc)/2]},
		{"empty", ""},
		{"white space", " \n"},
		{"not an object", `[1, 2]`},
		{"no format_version", `{"lineage": "l"}`},
		{"UTF-16 byte-order mark", "\xFE\xFF" + doc},
		{"trailing text", doc + "x"},
		{"duplicate VM", strings.Replace(doc, `"vms": {`, `"vms": {"fleet.web[0]": null,`, 1)},
		{"unknown field", strings.Replace(doc, `"serial": 3`, `"serial": 3, "extra": 1`, 1)},
		{"wrong type", strings.Replace(doc, `"cpu":2`, `"cpu":"2"`, 1)},
		{"invalid record", strings.Replace(doc, `"id":"vm-1"`, `"id":""`, 1)},
		{"newer format", strings.Replace(doc, `"format_version": 1`, `"format_version": 99`, 1)},
		{"a string that does not end", `{"format_version": 1, "lineage": "l`},
		{"a literal cut short", `{"format_version": 1, "lineage": "l", "vms": nu`},
	}
	for _, d := range docs {
		want, wantErr := state.Decode([]byte(d.text))
		for _, rd := range readers {
			t.Run(d.name+"/"+rd.name, func(t *testing.T) {
				got, ok := state.DecodeFrom(rd.wrap(strings.NewReader(d.text)), len(d.text))
				if ok != (wantErr == nil) {
					t.Fatalf("DecodeFrom: ok = %v; Decode's error: %v", ok, wantErr)
				}
				if diff := cmp.Diff(want, got); ok && diff != "" {
					t.Errorf("DecodeFrom (-Decode +DecodeFrom):\n%s", diff)
				}
				if !ok && got != nil {
					t.Errorf("DecodeFrom refused the document but returned %+v", got)
				}
			})
		}
	}
}

// A text whose reading fails is refused: Decode, given what is read
// whole, says what is wrong.
func TestDecodeFromReadFails(t *testing.T) {
	text := largeDoc(t, 3000)
	for _, src := range []io.Reader{
		iotest.TimeoutReader(strings.NewReader(text)),
		io.MultiReader(strings.NewReader(text[:len(text)/2]), iotest.ErrReader(errors.New("disk on fire"))),
	} {
		if st, ok := state.DecodeFrom(src, len(text)); ok || st != nil {
			t.Errorf("DecodeFrom of a failing reader: ok = %v, %d VMs", ok, len(st.VMs))
		}
	}
}

// largeDoc is the text of a valid document of n VMs, some windows long.
func largeDoc(t testing.TB, n int) string {
	s := state.New("lin")
	s.Serial = 7
	for i := range n {
		s.VMs[addr(i)] = testVM(i)
	}
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := state.Decode(data); err != nil {
		t.Fatalf("the large document is not valid: %v", err)
	}
	return string(bytes.TrimSpace(data)) + "\n"
}
