package statetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/state"
)

func testHistoryOrder(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	got, err := s.History(t.Context())
	if err != nil || len(got) != 0 {
		t.Fatalf("History of an empty workspace = (%v, %v), want no records", got, err)
	}
	var want []state.HistoryRecord
	for run := range 3 {
		recs := historyRun(run)
		if err := s.AppendHistory(t.Context(), recs); err != nil {
			t.Fatalf("AppendHistory run %d: %v", run, err)
		}
		want = append(want, recs...)
	}
	got, err = s.History(t.Context())
	if err != nil {
		t.Fatalf("History: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("History after three appends (-want +got):\n%s", diff)
	}
}

// historyRun returns the records of one apply: start, two actions, end.
func historyRun(run int) []state.HistoryRecord {
	at := time.Date(2025, 3, 1, 12, run, 0, 0, time.UTC)
	id := fmt.Sprintf("run-%d", run)
	return []state.HistoryRecord{
		{Kind: "start", Time: at, RunID: id, Who: "alice@ops-1", Operation: "apply", PlanDigest: "sha256:0f"},
		{Kind: "action", Time: at.Add(time.Second), RunID: id, Address: "fleet.web[0]", Action: "create", Outcome: "ok"},
		{Kind: "action", Time: at.Add(2 * time.Second), RunID: id, Address: "fleet.web[1]", Action: "create",
			Outcome: "failed", Error: "host full"},
		{Kind: "end", Time: at.Add(3 * time.Second), RunID: id, Outcome: "failed", Serial: uint64(run + 1)},
	}
}
