package local_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/internal/tmpfs"
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
		{"torn line in the middle", `{"kind":"start"}` + "\n" + `{"kind":"end","ti{"kind":"start"}` + "\n", ":2:"},
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

// A last line without its newline is a record being appended, or one torn
// by a crash: readers skip it when it is not whole.
func TestHistoryReadsUpToATornTail(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string // kinds
	}{
		{"torn", `{"kind":"start"}` + "\n\n" + `{"kind":"end","ti`, []string{"start"}},
		{"whole but unterminated", `{"kind":"start"}` + "\n" + `{"kind":"end"}`, []string{"start", "end"}},
		{"only a torn line", `{"kind":"st`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, local.HistoryFile), tt.body)
			recs, err := local.New(dir).History(t.Context())
			if err != nil {
				t.Fatalf("History: %v", err)
			}
			if diff := cmp.Diff(tt.want, kinds(recs)); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
		})
	}
}

func kinds(recs []state.HistoryRecord) []string {
	var out []string
	for _, r := range recs {
		out = append(out, string(r.Kind))
	}
	return out
}

// Appending after a torn last line used to continue it, and from then on
// every read of the history failed. The torn bytes are set aside instead,
// and the store says so.
func TestAppendHistorySetsATornTailAside(t *testing.T) {
	const whole, torn = `{"kind":"start","run_id":"r0"}` + "\n", `{"kind":"action","run_id":"r0","addr`
	dir := t.TempDir()
	path := filepath.Join(dir, local.HistoryFile)
	writeFile(t, path, whole+torn)
	s := local.New(dir)
	if err := s.AppendHistory(t.Context(), []state.HistoryRecord{{Kind: "end", RunID: "r1"}}); err != nil {
		t.Fatalf("AppendHistory: %v", err)
	}
	got, _ := os.ReadFile(path)
	want := whole + `{"kind":"end","time":"0001-01-01T00:00:00Z","run_id":"r1"}` + "\n"
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("history.jsonl (-want +got):\n%s", diff)
	}
	wantTornSaved(t, s, dir, torn)
}

// wantTornSaved checks that torn was moved to one side file, and that the
// store reported it.
func wantTornSaved(t *testing.T, s *local.Store, dir, torn string) {
	t.Helper()
	sides, _ := filepath.Glob(filepath.Join(dir, local.HistoryFile+".torn-*"))
	if len(sides) != 1 {
		t.Fatalf("side files %v, want one", sides)
	}
	if got, _ := os.ReadFile(sides[0]); string(got) != torn {
		t.Errorf("side file holds %q, want the torn bytes %q", got, torn)
	}
	notes := s.Repairs()
	if len(notes) != 1 || !strings.Contains(notes[0], "torn") || !strings.Contains(notes[0], sides[0]) {
		t.Errorf("Repairs = %q, want one note naming %s", notes, sides[0])
	}
	if again := s.Repairs(); len(again) != 0 {
		t.Errorf("Repairs reported %q twice", again)
	}
}

// Taking the lock repairs a torn tail at once, before anything appends.
func TestLockSetsATornTailAside(t *testing.T) {
	const whole, torn = `{"kind":"start"}` + "\n", `{"kind":"end","ti`
	dir := t.TempDir()
	path := filepath.Join(dir, local.HistoryFile)
	writeFile(t, path, whole+torn)
	s := local.New(dir)
	id := lock(t, s, "plan")
	defer s.Unlock(id)
	if got, _ := os.ReadFile(path); string(got) != whole {
		t.Errorf("history.jsonl after Lock = %q, want %q", got, whole)
	}
	wantTornSaved(t, s, dir, torn)
}

// A record that is whole but lacks its newline is kept, and ended.
func TestAppendHistoryEndsAnUnterminatedRecord(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, local.HistoryFile)
	writeFile(t, path, `{"kind":"start"}`)
	s := local.New(dir)
	if err := s.AppendHistory(t.Context(), []state.HistoryRecord{{Kind: "end"}}); err != nil {
		t.Fatalf("AppendHistory: %v", err)
	}
	recs, err := s.History(t.Context())
	if err != nil || len(recs) != 2 {
		t.Errorf("History = %v, %v; want start and end", kinds(recs), err)
	}
	if sides, _ := filepath.Glob(path + ".torn-*"); len(sides) != 0 {
		t.Errorf("a whole record was set aside: %v", sides)
	}
}

// A full disk used to tear the record being appended, and the next append
// continued the torn line. Now the failed append leaves the file as it was,
// and once there is space again the history goes on, readable.
func TestAppendHistoryOnAFullDisk(t *testing.T) {
	dir := filepath.Join(t.TempDir(), ".nova")
	tmpfs.Mount(t, dir, "size=64k")
	s := local.New(dir)
	first := []state.HistoryRecord{{Kind: "start", RunID: "r1"}}
	if err := s.AppendHistory(t.Context(), first); err != nil {
		t.Fatalf("AppendHistory: %v", err)
	}
	path := filepath.Join(dir, local.HistoryFile)
	before, _ := os.ReadFile(path)
	free := tmpfs.Fill(t, dir)
	big := state.HistoryRecord{Kind: "action", RunID: "r1", Error: strings.Repeat("x", 8192)} // more than the page left
	err := s.AppendHistory(t.Context(), []state.HistoryRecord{big})
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("AppendHistory on a full disk = %v, want ENOSPC", err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Errorf("the failed append changed the history: %d bytes, was %d", len(after), len(before))
	}
	free()
	if err := s.AppendHistory(t.Context(), []state.HistoryRecord{{Kind: "end", RunID: "r1"}}); err != nil {
		t.Fatalf("AppendHistory after freeing space: %v", err)
	}
	recs, err := s.History(t.Context())
	if err != nil {
		t.Fatalf("History after a full disk: %v", err)
	}
	if diff := cmp.Diff([]string{"start", "end"}, kinds(recs)); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
}
