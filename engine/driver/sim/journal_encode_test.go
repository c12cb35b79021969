package sim

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
)

// hostile are strings JSON must escape, or that are not UTF-8 at all.
var hostile = []string{
	"", "plain", "é漢字🙂", "\x00\x01\x1f\x7f", "\b\f", `"quoted" \back\slash/`, "<script>&amp;</script>",
	"line\u2028sep\u2029para", "\xff\xfe", "cut\xc3", "tab\tnl\ncr\r", "\ufffd", "\U0010ffff",
}

// hostileEntries are journal entries with hostile values in every string,
// every map shape (nil, empty, one key, many, keys that are equal once
// made UTF-8) and zero and extreme numbers.
func hostileEntries() map[string]entry {
	tags := map[string]string{}
	for i, s := range hostile {
		tags[s] = hostile[len(hostile)-1-i]
	}
	cases := map[string]entry{
		"zero VM":      {Op: opPut, VM: &vmRecord{}},
		"zero entry":   {},
		"delete":       {Op: opDelete, ID: "vm-000042"},
		"nil tags":     {Op: opPut, VM: &vmRecord{ID: "vm-1", Tags: nil}},
		"empty tags":   {Op: opPut, VM: &vmRecord{ID: "vm-1", Tags: map[string]string{}}},
		"one tag":      {Op: opPut, VM: &vmRecord{ID: "vm-1", Tags: map[string]string{"<k>": "&v"}}},
		"hostile tags": {Op: opPut, VM: &vmRecord{ID: "vm-1", Tags: tags}},
		"keys equal as UTF-8": {Op: opPut, VM: &vmRecord{ID: "vm-1",
			Tags: map[string]string{"\xff": "a", "\xfe": "b", "\ufffd": "c"}}},
		"zero marker": {Op: opPut, VM: &vmRecord{ID: "vm-1", Marker: &driver.Marker{}}},
		"extremes": {Op: opPut, LastID: math.MaxInt64, VM: &vmRecord{ID: "vm-9223372036854775807",
			CPU: math.MinInt, MemoryMiB: math.MaxInt64, DiskGB: -1}},
		"negative last ID": {Op: opPut, LastID: -7, VM: &vmRecord{ID: "vm-1"}},
		"hosts": {Op: opHosts, Hosts: []hostRecord{{}, {Name: "h<1>", CPU: 8, MemoryMiB: 1 << 40, DiskGiB: 5,
			Labels: map[string]string{"zone": "a\u2028", "\x00": "\xff"}}, {Name: "h2", Labels: map[string]string{}}}},
		"empty hosts": {Op: opHosts, Hosts: []hostRecord{}},
	}
	for i, s := range hostile {
		cases["hostile "+s] = entry{Op: s, ID: s, LastID: int64(i + 1), VM: &vmRecord{
			ID: s, Name: s, Host: s, CPU: i, MemoryMiB: int64(i) << 20, DiskGB: i * 10,
			Power: driver.Power(s), Template: s, Tags: map[string]string{s: s},
			Marker: &driver.Marker{Address: s, Lineage: s, SpecHash: s},
		}}
	}
	return cases
}

// A line appendJSON writes decodes to exactly the entry the line
// encoding/json writes for the same entry decodes to.
func TestJournalLineDecodesAsJSONMarshal(t *testing.T) {
	for name, e := range hostileEntries() {
		t.Run(name, func(t *testing.T) {
			old, err := json.Marshal(e)
			if err != nil {
				t.Fatal(err)
			}
			line := e.appendJSON(nil)
			if bytes.ContainsAny(line, "\n\r") || !json.Valid(line) {
				t.Fatalf("appendJSON wrote a line that is not one line of JSON: %q", line)
			}
			want, err := decodeEntry(old)
			if err != nil {
				t.Fatal(err)
			}
			got, err := decodeEntry(line)
			if err != nil {
				t.Fatalf("decoding %q: %v", line, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("decoded entry (-json.Marshal +appendJSON):\n%s\nline: %s", diff, line)
			}
		})
	}
}

// appendJSON appends: what b held before stays, and a line follows it.
func TestJournalLineAppends(t *testing.T) {
	e := entry{Op: opDelete, ID: "vm-000001"}
	got := string(e.appendJSON([]byte("before\n")))
	if want := "before\n" + `{"op":"delete","id":"vm-000001"}`; got != want {
		t.Errorf("appendJSON = %q, want %q", got, want)
	}
}

// A journal written by NovaCron versions that wrote its lines with
// encoding/json (testdata/json-marshal.journal, hostile values included)
// still replays, and its entries written again by appendJSON read the same.
func TestOldJournalStillReads(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "json-marshal.journal"))
	if err != nil {
		t.Fatal(err)
	}
	var again []byte
	for _, line := range bytes.SplitAfter(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
		e, err := decodeEntry(line)
		if err != nil {
			t.Fatalf("old line %q: %v", line, err)
		}
		again = append(e.appendJSON(again), '\n')
	}
	old, now := replayed(t, data), replayed(t, again)
	if len(old.VMs) != 3 || old.VMs[1].Name != "<web>\u2028&\ufffd" || old.VMs[2].Tags["tier"] != "db\x00" {
		t.Errorf("the old journal replays to %+v", old.VMs)
	}
	if diff := cmp.Diff(old, now); diff != "" {
		t.Errorf("the old journal and its entries written again replay differently (-old +again):\n%s", diff)
	}
}

// replayed opens a cluster whose only file is the journal data and
// returns its inventory.
func replayed(t *testing.T, data []byte) driver.Inventory {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "sim-lab.journal"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	d := open(t, dir, driver.Config{"hosts": int64(2), "host_cpu": int64(4096), "host_memory_gb": float64(1 << 20)})
	defer crash(t, d)
	return mustInventory(t, d)
}
