package local_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

func TestHistoryFile(t *testing.T) {
	dir := t.TempDir()
	s := local.New(dir)
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	recs := []state.HistoryRecord{
		{Kind: "start", Time: at, RunID: "r1"},
		{Kind: "end", Time: at, RunID: "r1", Outcome: "ok", Serial: 4},
	}
	if err := s.AppendHistory(t.Context(), recs); err != nil {
		t.Fatalf("AppendHistory: %v", err)
	}
	if err := s.AppendHistory(t.Context(), nil); err != nil {
		t.Fatalf("AppendHistory of nothing: %v", err)
	}
	path := filepath.Join(dir, local.HistoryFile)
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"kind":"start","time":"2025-03-01T12:00:00Z","run_id":"r1"}` + "\n" +
		`{"kind":"end","time":"2025-03-01T12:00:00Z","run_id":"r1","outcome":"ok","serial":4}` + "\n"
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("history.jsonl (-want +got):\n%s", diff)
	}
	if fi, _ := os.Stat(path); fi.Mode() != 0o600 {
		t.Errorf("history.jsonl mode %v, want 0600", fi.Mode())
	}
}

func TestHistoryBadLine(t *testing.T) {
	tests := []struct {
		name, body, where string
	}{
		{"garbage", `{"kind":"start","run_id":"r1"}` + "\nnot json\n", ":2:"},
		{"torn last line", `{"kind":"start"}` + "\n\n" + `{"kind":"end","ti`, ":3:"},
		{"wrong type", `{"kind":"start","serial":"x"}` + "\n", ":1:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, local.HistoryFile)
			writeFile(t, path, tt.body)
			got, err := local.New(dir).History(t.Context())
			if err == nil {
				t.Fatalf("History = %v, want an error", got)
			}
			wantErrText(t, err, path+tt.where)
		})
	}
}
