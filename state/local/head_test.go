package local

import (
	"strings"
	"testing"

	"github.com/novacron/novacron/state"
)

func TestParseHead(t *testing.T) {
	encoded := state.New("lin\"\\é")
	encoded.Serial = 42
	data, err := state.Encode(encoded)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, body string
		want       head
		ok         bool
	}{
		{"what Encode writes", string(data), head{lineage: "lin\"\\é", serial: 42}, true},
		{"one line", `{"format_version":1,"lineage":"a","serial":7,"vms":{}}`, head{lineage: "a", serial: 7}, true},
		{"nothing after serial", `{"format_version":1,"lineage":"a","serial":7}`, head{lineage: "a", serial: 7}, true},
		{"serial cut short", `{"format_version":1,"lineage":"a","serial":7`, head{}, false},
		{"lineage cut short", `{"format_version":1,"lineage":"a`, head{}, false},
		{"other format", `{"format_version":2,"lineage":"a","serial":7}`, head{}, false},
		{"keys reordered", `{"lineage":"a","format_version":1,"serial":7}`, head{}, false},
		{"no serial", `{"format_version":1,"lineage":"a","vms":{}}`, head{}, false},
		{"negative serial", `{"format_version":1,"lineage":"a","serial":-7}`, head{}, false},
		{"fractional serial", `{"format_version":1,"lineage":"a","serial":7.5}`, head{}, false},
		{"serial too large", `{"format_version":1,"lineage":"a","serial":99999999999999999999}`, head{}, false},
		{"lineage not a string", `{"format_version":1,"lineage":7,"serial":7}`, head{}, false},
		{"bad escape", `{"format_version":1,"lineage":"\q","serial":7}`, head{}, false},
		{"sealed", state.SealedPrefix + `"x"}`, head{}, false},
		{"empty", ``, head{}, false},
		{"byte-order mark", "\ufeff" + `{"format_version":1,"lineage":"a","serial":7}`, head{}, false},
		{"head of a long lineage", (`{"format_version":1,"lineage":"` + strings.Repeat("a", headBytes))[:headBytes], head{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseHead([]byte(tt.body), state.FormatVersion)
			if ok != tt.ok || got != tt.want {
				t.Errorf("parseHead = (%+v, %v), want (%+v, %v)", got, ok, tt.want, tt.ok)
			}
		})
	}
}
