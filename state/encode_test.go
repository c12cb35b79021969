package state

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestEncodeAsEncodingJSON: the hand-written encoder writes each record
// and string exactly as encoding/json does (HTML escaping off), for values
// that need every kind of escape.
func TestEncodeAsEncodingJSON(t *testing.T) {
	texts := []string{"", "plain", `q"uo\te`, "line\nbreak\r\t", "\x00\x1f\x7f", "back\bspace\fform", "ünï€𝄞", "\u2028\u2029", "bad\xffutf8", "<b>&amp;"}
	for i, s := range texts {
		vms := []*VM{
			{Provider: "sim.lab", ID: s, Fleet: "vm.x", Name: s, Power: "running"},
			{Provider: s, ID: "i", Fleet: "f", Name: "n", Host: s, CPU: -1, MemoryMiB: 1 << 40, DiskGB: 7, Power: s,
				Template: s, Tags: map[string]string{s: s, "b": "2", "a": s}, SpecHash: s, DependsOn: []string{s, "vm.a"}},
			{Provider: "p", ID: "i", Tags: map[string]string{"k": s}, DependsOn: []string{}},
		}
		for j, vm := range vms {
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(vm); err != nil {
				t.Fatal(err)
			}
			got := appendVM(nil, vm)
			if diff := cmp.Diff(string(bytes.TrimSuffix(want.Bytes(), []byte("\n"))), string(got)); diff != "" {
				t.Errorf("text %d, record %d (-encoding/json +appendVM):\n%s", i, j, diff)
			}
		}
	}
}

// TestEncodeRoundTrips: what Encode writes, Decode reads back.
func TestEncodeRoundTrips(t *testing.T) {
	st := New("lin-\u00e9")
	st.Serial = 9
	for i := range 5 {
		st.VMs[fmt.Sprintf(`fleet.web["k%d \"q\""]`, i)] = &VM{Provider: "sim.lab", ID: fmt.Sprint("vm-", i), Fleet: "fleet.web",
			Name: "w", Power: "stopped", Tags: map[string]string{"z": "1", "a": "ü"}, DependsOn: []string{"vm.db"}}
	}
	st.Abandoned = []Ref{{Provider: "sim.lab", ID: "vm-9"}, {Provider: "sim.lab", ID: "vm-8"}}
	data, err := Encode(st)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(data)
	if err != nil {
		t.Fatalf("Decode: %v\n%s", err, data)
	}
	if diff := cmp.Diff(st, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}
