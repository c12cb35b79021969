package state_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/novacron/novacron/state"
)

// hostile holds the strings the JSON encoders treat specially.
var hostile = []string{
	"", "plain", `quote " and \ backslash`, "<script>&amp;</script>", "new\nline\r\ttab",
	"\x00\x01\x1f\x7f control", "back\bspace\fform feed", "snowman ☃ and 日本", "line\u2028para\u2029sep",
	"bad \xff\xfe utf8 \xc3", "emoji 😀", "\ufffd literal", "trailing \xe2\x80",
}

// TestAppendHistoryLineMatchesEncodingJSON compares AppendHistoryLine's
// bytes with those of the json.Encoder AppendHistory used before it.
func TestAppendHistoryLineMatchesEncodingJSON(t *testing.T) {
	base := state.HistoryRecord{Kind: state.RecordAction, Time: time.Date(2026, 12, 7, 4, 5, 6, 789, time.UTC), RunID: "run-1"}
	var recs []state.HistoryRecord
	recs = append(recs, base, state.HistoryRecord{}) // every optional field empty; the zero time
	for _, s := range hostile {
		r := base
		r.Kind, r.RunID, r.Who, r.Operation, r.PlanDigest = state.RecordKind(s), s, s, s, s
		r.Address, r.Action, r.Outcome, r.Error = s, s, state.Outcome(s), s
		recs = append(recs, r)
	}
	zones := []*time.Location{time.UTC, time.FixedZone("east", 5*3600+30*60), time.FixedZone("west", -8*3600), time.Local}
	for i, loc := range zones {
		r := base
		r.Time, r.Serial = time.Date(1999, 1, 2, 3, 4, 5, i*1000, loc), uint64(1)<<(10*i+3)
		recs = append(recs, r)
	}
	full := base
	full.Who, full.Operation, full.PlanDigest, full.Address = "ada", "apply", "sha256:00", `fleet.web["a"]`
	full.Action, full.Outcome, full.Error, full.Serial = "create", state.OutcomeFailed, "boom", 1<<53
	recs = append(recs, full)
	for i, r := range recs {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(r); err != nil {
			t.Fatalf("record %d: encoding/json: %v", i, err)
		}
		got, err := state.AppendHistoryLine([]byte("prefix"), r)
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		if !bytes.Equal(got, append([]byte("prefix"), want.Bytes()...)) {
			t.Errorf("record %d:\n got %q\nwant prefix%q", i, got, want.Bytes())
		}
	}
}

// TestAppendHistoryLineBadTime: a year RFC 3339 cannot hold fails, as in
// encoding/json, and appends nothing.
func TestAppendHistoryLineBadTime(t *testing.T) {
	for _, year := range []int{-1, 10000} {
		r := state.HistoryRecord{Kind: state.RecordStart, Time: time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)}
		if _, err := json.Marshal(r); err == nil {
			t.Fatalf("year %d: encoding/json encodes it; the test expects it not to", year)
		}
		got, err := state.AppendHistoryLine([]byte("kept"), r)
		if err == nil || string(got) != "kept" {
			t.Errorf("year %d: got %q, %v; want \"kept\" and an error", year, got, err)
		}
	}
}

// TestAppendHistoryLineAllocs: appending into a buffer with room
// allocates nothing.
func TestAppendHistoryLineAllocs(t *testing.T) {
	r := state.HistoryRecord{Kind: state.RecordAction, Time: time.Now(), RunID: "run-1", Address: "fleet.app[12345]",
		Action: "create", Outcome: state.OutcomeOK, Serial: 7}
	buf := make([]byte, 0, 4096)
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := state.AppendHistoryLine(buf[:0], r); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 0 {
		t.Errorf("AppendHistoryLine allocates %.1f times a record; want 0", allocs)
	}
}
