package state_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/state"
)

// doc is a valid document with one VM, to spoil.
const doc = `{
  "format_version": 1,
  "lineage": "lin-1",
  "serial": 3,
  "vms": {
    "fleet.web[0]": {"provider":"sim.lab","id":"vm-1","fleet":"fleet.web","name":"web-0","host":"hv-1","cpu":2,"memory_mib":2048,"disk_gb":20,"power":"running","template":"image=\"u\"","tags":{"env":"prod"},"spec_hash":"ab","depends_on":["vm.db"]}
  }
}
`

func TestDecodeAccepts(t *testing.T) {
	want := &state.State{FormatVersion: 1, Lineage: "lin-1", Serial: 3, VMs: map[string]*state.VM{
		"fleet.web[0]": {Provider: "sim.lab", ID: "vm-1", Fleet: "fleet.web", Name: "web-0", Host: "hv-1", CPU: 2,
			MemoryMiB: 2048, DiskGB: 20, Power: "running", Template: `image="u"`, Tags: map[string]string{"env": "prod"},
			SpecHash: "ab", DependsOn: []string{"vm.db"}},
	}}
	tests := []struct {
		name, text string
		want       *state.State
	}{
		{"as written", doc, want},
		{"byte-order mark", "\uFEFF" + doc, want},
		{"escapes", strings.Replace(doc, `"name":"web-0"`, `"name":"w\u0065b-\u0030"`, 1), want},
		{"minimal: serial and vms left out", `{"format_version": 1, "lineage": "lin-1"}`,
			&state.State{FormatVersion: 1, Lineage: "lin-1", VMs: map[string]*state.VM{}}},
		{"serial 0, power left out", `{"format_version": 1, "lineage": "l", "serial": 0, "vms": {"vm.a": {"provider":"sim.lab","id":"vm-1","fleet":"vm.a"}}}`,
			&state.State{FormatVersion: 1, Lineage: "l", VMs: map[string]*state.VM{"vm.a": {Provider: "sim.lab", ID: "vm-1", Fleet: "vm.a"}}}},
		{"unicode in a key", `{"format_version": 1, "lineage": "l", "vms": {"fleet.a[\"ünï\"]": {"provider":"sim.lab","id":"vm-1","fleet":"fleet.a","power":"stopped"}}}`,
			&state.State{FormatVersion: 1, Lineage: "l", VMs: map[string]*state.VM{`fleet.a["ünï"]`: {Provider: "sim.lab", ID: "vm-1", Fleet: "fleet.a", Power: "stopped"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := state.Decode([]byte(tt.text))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Decode (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDecodeRefuses: each document is refused with every problem named,
// "FIELD | text in What | text in Fix" as wantProblems reads them; a line
// is part of What's text as String renders it.
func TestDecodeRefuses(t *testing.T) {
	vm := func(old, new string) string { return strings.Replace(doc, old, new, 1) }
	tests := []struct {
		name, text string
		want       []string
	}{
		{"duplicate address", vm(`"fleet.web[0]": {`, `"fleet.web[0]": {"provider":"sim.lab","id":"vm-2","fleet":"fleet.web"},
    "fleet.web[0]": {`), []string{`vms | has the key "fleet.web[0]" twice (lines 6 and 7) | Keep one`}},
		{"duplicate top-level key", vm(`"serial": 3`, `"serial": 1, "serial": 3`), []string{`the document | has the key "serial" twice (lines 4 and 4) | Keep one`}},
		{"duplicate VM field", vm(`"cpu":2`, `"cpu":2,"cpu":4`), []string{`vms["fleet.web[0]"] | has the key "cpu" twice | Keep one`}},
		{"duplicate tag", vm(`{"env":"prod"}`, `{"env":"prod","env":"dev"}`), []string{`vms["fleet.web[0]"].tags | has the key "env" twice | Keep one`}},
		{"unknown fields", vm(`"serial": 3`, `"serial": 3, "colour": [1, {"a": 2}]`),
			[]string{"colour | is not a field of format_version 1 state documents | Remove it"}},
		{"unknown VM field", vm(`"cpu":2`, `"cpu":2,"cpus":[]`),
			[]string{`vms["fleet.web[0]"].cpus | is not a field of format_version 1 | Remove it`}},
		{"unknown fields of a newer format are not judged", vm(`"format_version": 1`, `"format_version": 2, "colour": 1`),
			[]string{"format_version | is 2, but this build reads format_version 1 and older | newer"}},
		{"types", vm(`"serial": 3`, `"serial": "3"`), []string{`serial | must be a whole number ≥ 0, but it is a string (line 4) | serial of the last write`}},
		{"negative serial", vm(`"serial": 3`, `"serial": -1`), []string{`serial | must be a whole number ≥ 0, but it is -1 | serial`}},
		{"huge serial", vm(`"serial": 3`, `"serial": 99999999999999999999999`), []string{`serial | is 99999999999999999999999, beyond 9007199254740992 (2^53) | backup`}},
		{"vms array", vm(`"vms": {`, `"vms": [], "x": {`), []string{"vms | must be an object of VM records, but it is an array | {} for no VMs", "x | is not a field | Remove"}},
		{"vms null", `{"format_version": 1, "lineage": "l", "vms": null}`, []string{"vms | is null | Write {}"}},
		{"record of the wrong type", vm(`"fleet.web[0]": {`, `"vm.x": 4, "fleet.web[0]": {`), []string{`vms["vm.x"] | must be a VM record (an object), but it is a number | backup`}},
		{"field types", vm(`"memory_mib":2048,"disk_gb":20`, `"memory_mib":"2 GB","disk_gb":1e3`), []string{
			`vms["fleet.web[0]"].disk_gb | must be a whole number, but it is 1e3 (line 6) | Correct`,
			`vms["fleet.web[0]"].memory_mib | must be a whole number, but it is a string | Correct`}},
		{"null field", vm(`"host":"hv-1"`, `"host":null`), []string{`vms["fleet.web[0]"].host | is null | Correct`}},
		{"tags of the wrong type", vm(`{"env":"prod"}`, `{"env":2}`), []string{`vms["fleet.web[0]"].tags | has the tag "env", whose value must be a string, but it is a number | Correct`}},
		{"depends_on of the wrong type", vm(`["vm.db"]`, `"vm.db"`), []string{`vms["fleet.web[0]"].depends_on | must be a list of fleet addresses, but it is a string | Correct`}},
		{"not UTF-8", vm(`"hv-1"`, "\"hv-\xff\""), []string{`vms["fleet.web[0]"].host | is not UTF-8: it has the byte 0xFF (line 6) | Correct`}},
		{"lone surrogate", vm(`"web-0"`, `"web-\ud800"`), []string{`vms["fleet.web[0]"].name | has an escape (\u) of half a UTF-16 surrogate pair | Correct`}},
		{"control characters", vm(`"web-0"`, `"web-\u001b[2J"`), []string{`vms["fleet.web[0]"].name | has the control character U+001B | inventory`}},
		{"C1 control in a tag", vm(`"prod"`, `"pr\u0085od"`), []string{`vms["fleet.web[0]"].tags["env"] | has the control character U+0085 | inventory`}},
		{"lineage", vm(`"lin-1"`, `"lin\u001b]0;x\n"`), []string{`lineage | has the control character U+001B: it goes into the ownership marker | lineage in the ownership markers`}},
		{"id with spaces", vm(`"vm-1"`, `" vm-1"`), []string{`vms["fleet.web[0]"].id | is " vm-1", with spaces around it | exactly as`}},
		{"id with a newline", vm(`"vm-1"`, `"vm-1\n"`), []string{`vms["fleet.web[0]"].id | has the control character U+000A | exactly as`}},
		{"sizes", vm(`"cpu":2,"memory_mib":2048,"disk_gb":20`, `"cpu":-2,"memory_mib":-1,"disk_gb":-3`), []string{
			`vms["fleet.web[0]"].cpu | is -2: a VM's size is never negative | inventory`,
			`vms["fleet.web[0]"].disk_gb | is -3 | inventory`,
			`vms["fleet.web[0]"].memory_mib | is -1 | inventory`}},
		{"power", vm(`"running"`, `"exploded"`), []string{`vms["fleet.web[0]"].power | is "exploded": a VM's power is "running" or "stopped" | "running" or "stopped"`}},
		{"a key not in canonical form", vm(`"fleet.web[0]"`, `"fleet.web[\"\\u0030\"]"`), []string{`vms["fleet.web[\"\\u0030\"]"] | is not a VM address: the key "\u0030" is not a quoted string as the spec writes it: write ["0"] | fleet.NAME`}},
		{"abandoned", vm("\n  }\n}", `
  },
  "abandoned": [{"provider":"nope","id":"vm-9"},{"provider":"sim.lab","id":""},{"provider":"sim.lab","id":"vm-7"},{"provider":"sim.lab","id":"vm-7"},{"provider":"sim.lab","id":"vm-1"},{"provider":"sim.lab","id":"vm-8","x":1},"vm-6"]
}`), []string{
			`abandoned[0].provider | is not valid: "nope" is not a provider key TYPE.NAME | TYPE.NAME`,
			`abandoned[1].id | is empty | Set it to the id`,
			`abandoned[2] and abandoned[3] | both record VM vm-7 of provider sim.lab | Remove one`,
			`abandoned[4] | records VM vm-1 of provider sim.lab, which vms["fleet.web[0]"] manages | nova-plan state rm fleet.web[0]`,
			`abandoned[5].x | is not a field | Remove`,
			`abandoned[6] | must be a record {"provider": "TYPE.NAME", "id": "…"}, but it is a string | Correct`}},
		{"abandoned null", vm("\n  }\n}", "\n  },\n  \"abandoned\": null\n}"), []string{`abandoned | is null | Write a list`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := state.Decode([]byte(tt.text))
			if st != nil && err == nil {
				t.Fatalf("Decode accepted the document: %+v", st)
			}
			wantProblems(t, err, tt.want)
		})
	}
}

func TestDecodeNotJSON(t *testing.T) {
	tests := []struct {
		name, text string
		line, col  int
		want       string
		notState   bool
	}{
		{"truncated", "{\n  \"format_version\": 1,\n  \"lineage\": \"ab", 3, 16, "unexpected end of JSON input", false},
		{"trailing garbage", "{\"format_version\": 1}\n}x", 2, 1, "after top-level value", false},
		{"UTF-16", "\xfe\xff\x00{", 1, 1, "byte-order mark: save it as UTF-8", false},
		{"deep unknown value", `{"format_version": 1, "x": ` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "}", 1, 92, "nested more than 64 deep", false},
		{"an array", "[1]", 0, 0, "the document is an array, not an object, so it is not a NovaCron state document", true},
		{"no format_version", `{"lineage": "x"}`, 0, 0, "it has no format_version, so it is not a NovaCron state document", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := state.Decode([]byte(tt.text))
			var se *state.SyntaxError
			var ns *state.NotStateError
			switch {
			case tt.notState && errors.As(err, &ns):
			case !tt.notState && errors.As(err, &se):
				if se.Line != tt.line || se.Column != tt.col {
					t.Errorf("at %d:%d, want %d:%d", se.Line, se.Column, tt.line, tt.col)
				}
			default:
				t.Fatalf("Decode = %v (%T)", err, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q lacks %q", err, tt.want)
			}
		})
	}
}

// TestDecodeAgreesWithEncodingJSON: what Decode accepts, encoding/json
// reads the same (the format is JSON, for any tool).
func TestDecodeAgreesWithEncodingJSON(t *testing.T) {
	want, err := state.Decode([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	var got state.State
	if err := json.Unmarshal([]byte(doc), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, &got); diff != "" {
		t.Errorf("Decode and encoding/json differ (-Decode +json):\n%s", diff)
	}
}

// BenchmarkDecode10k decodes and validates a 10,000-VM document, as every
// read of the state does.
func BenchmarkDecode10k(b *testing.B) {
	b.ReportAllocs()
	s := state.New("lin")
	s.Serial = 1
	for i := range 10_000 {
		s.VMs[addr(i)] = testVM(i)
	}
	data, err := json.Marshal(s)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := state.Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}

// A record costs about one allocation (its address, the key of VMs): the
// records, their ids, names and spec hashes are made many at once, and
// records share the tags and depends_on of the record before when they
// are the same.
func TestDecodeAllocationsPerRecord(t *testing.T) {
	const n = 2000
	s := state.New("lin")
	for i := range n {
		vm := testVM(i)
		vm.SpecHash = fmt.Sprintf("%016x", i)
		s.VMs[addr(i)] = vm
	}
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(5, func() {
		if _, err := state.Decode(data); err != nil {
			t.Fatal(err)
		}
	})
	if perRecord := allocs / n; perRecord > 1.5 {
		t.Errorf("Decode made %.0f allocations for %d records, %.2f a record; want at most 1.5", allocs, n, perRecord)
	}
}
