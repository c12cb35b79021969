package hyperv

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestNotesRoundTrip: the record and the user's text come back exactly,
// for hostile addresses, long lineages, and user text that looks like a
// record.
func TestNotesRoundTrip(t *testing.T) {
	lineage := strings.Repeat("l", 60)
	for _, tc := range []struct {
		name string
		user string
		rec  record
	}{
		{"plain", "", record{Address: "fleet.web[0]", Lineage: "x", SpecHash: "h", Template: `vhdx="C:\\T\\a.vhdx"`}},
		{"hostile address", "", record{Address: `fleet.web["a b/c:é"]`, Lineage: lineage, SpecHash: "h"}},
		{"close tag in address", "ops", record{Address: `fleet.web["[/novacron]"]`, Lineage: lineage}},
		{"quotes and newlines", "line 1\nline 2", record{Address: "fleet.web[\"'\\n\u2019\"]", Tags: map[string]string{"k\n": "v\"[novacron]"}}},
		{"user text like a record", "[novacron]{\"address\":\"fake\"} not closed", record{Address: "vm.real"}},
		{"user text after", "", record{Address: "vm.a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			notes := writeNotes(tc.user, tc.rec)
			user, rec, ok := readNotes(notes)
			if !ok {
				t.Fatalf("readNotes(%q) found no record", notes)
			}
			if user != tc.user {
				t.Errorf("user text %q, want %q", user, tc.user)
			}
			if diff := cmp.Diff(tc.rec, rec); diff != "" {
				t.Errorf("record (-want +got):\n%s", diff)
			}
		})
	}
	if user, _, ok := readNotes("just the user's notes [novacron]"); ok || user != "just the user's notes [novacron]" {
		t.Errorf("Notes without a record read as one (%t) or lost text: %q", ok, user)
	}
}

// TestParamLine: the parameter line is ASCII, ' doubled, and decodes back
// to the values, whatever they hold.
func TestParamLine(t *testing.T) {
	in := map[string]string{"name": "a'; Remove-VM *; '\u2018\u2019\u201a\u201b\"`$(x)\x00\U0001F600é"}
	line, err := paramLine(in)
	if err != nil {
		t.Fatal(err)
	}
	inner, ok := strings.CutPrefix(line, "$p = '")
	inner, ok2 := strings.CutSuffix(inner, "' | ConvertFrom-Json")
	if !ok || !ok2 {
		t.Fatalf("line %q", line)
	}
	for _, r := range inner {
		if r >= 0x7f || r < 0x20 {
			t.Fatalf("line holds %U: %q", r, line)
		}
	}
	if strings.Contains(strings.ReplaceAll(inner, "''", ""), "'") {
		t.Fatalf("line holds an undoubled quote: %q", line)
	}
	var out map[string]string
	if err := json.Unmarshal([]byte(strings.ReplaceAll(inner, "''", "'")), &out); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, out); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}
