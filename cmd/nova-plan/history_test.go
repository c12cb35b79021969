package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

type historyRecord struct {
	Kind, Operation, Who, Address, Action, Outcome string
	RunID                                          string `json:"run_id"`
}

func historyJSON(t *testing.T, dir string, args ...string) []historyRecord {
	t.Helper()
	r := nova(t, dir, append([]string{"history", "-json"}, args...)...).Must(t, 0, "history -json")
	var doc struct {
		FormatVersion string          `json:"format_version"`
		Records       []historyRecord `json:"records"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &doc); err != nil {
		t.Fatalf("history -json printed invalid JSON: %v\n%s", err, r.Stdout)
	}
	if doc.FormatVersion != JSONFormatVersion || doc.Records == nil {
		t.Fatalf("history -json: format_version %q, records %v; want %q and a list", doc.FormatVersion, doc.Records, JSONFormatVersion)
	}
	return doc.Records
}

func historyLines(recs []historyRecord) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = strings.Join([]string{r.Kind, r.Operation, r.Address, r.Action, r.Outcome}, " ")
	}
	return out
}

// history lists the audit trail oldest first, one line a record, and its
// filters select by time, address (a VM or a fleet) and run.
func TestHistoryFilters(t *testing.T) {
	dir := t.TempDir()
	applySpec(t, dir, defaultSpec())
	nova(t, dir, "state", "rm", "fleet.web[2]").Must(t, 0, "state rm")
	all := historyJSON(t, dir)
	want := []string{
		"start apply   ",
		"action apply vm.db-01 create ok",
		"action apply fleet.web[0] create ok", "action apply fleet.web[1] create ok", "action apply fleet.web[2] create ok",
		"end apply   ok",
		"state rm state rm fleet.web[2]  ok",
	}
	sortedMiddle := func(l []string) []string { // the web creates run at once, in any order
		if len(l) > 5 {
			sort.Strings(l[2:5])
		}
		return l
	}
	if diff := cmp.Diff(want, sortedMiddle(historyLines(all))); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	text := nova(t, dir, "history").Must(t, 0, "history").Stdout
	lines := strings.Split(strings.TrimSpace(text), "\n")
	if len(lines) != len(all) || !strings.Contains(lines[0], "  apply  -  start  -") || !strings.Contains(lines[6], "  state rm  fleet.web[2]  -  ok") {
		t.Errorf("history text, one line a record, want %d lines:\n%s", len(all), text)
	}

	tests := []struct {
		args []string
		want int
	}{
		{[]string{"-address=fleet.web"}, 4},
		{[]string{"-address=fleet.web[2]"}, 2},
		{[]string{"-address", "vm.db-01"}, 1},
		{[]string{"-run=" + all[0].RunID}, 6},
		{[]string{"-run=" + all[6].RunID, "-address=fleet.web"}, 1},
		{[]string{"-since=1h"}, 7},
		{[]string{"-until=1h"}, 0},
		{[]string{"-since=2999-01-01T00:00:00Z"}, 0},
		{[]string{"-until=2999-01-01T00:00:00+02:00", "-since=2000-01-01T00:00:00Z"}, 7},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			if got := historyJSON(t, dir, tt.args...); len(got) != tt.want {
				t.Errorf("history %v has %d records, want %d:\n%v", tt.args, len(got), tt.want, historyLines(got))
			}
		})
	}
	if r := nova(t, dir, "history", "-since=2999-01-01T00:00:00Z").Must(t, 0, "history of nothing"); !strings.Contains(r.Stdout, "No history records.") {
		t.Errorf("an empty history says nothing:\n%s", r.Stdout)
	}
}

// Bad filter values are errors that name the flag.
func TestHistoryBadFlags(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range [][]string{
		{"-since=yesterday", "-since", "RFC 3339"},
		{"-until=-5h", "-until", "negative"},
		{"-address=fleet.web[", "-address", "does not end with ']'"},
		{"-until=2000-01-01T00:00:00Z", "-until", "is before -since"},
	} {
		args := []string{"history", tt[0]}
		if tt[0] == "-until=2000-01-01T00:00:00Z" {
			args = append(args, "-since=2001-01-01T00:00:00Z")
		}
		r := nova(t, dir, args...).Must(t, 1, strings.Join(args, " "))
		for _, w := range tt[1:] {
			if !strings.Contains(r.Stderr, w) {
				t.Errorf("%v: the error does not say %q:\n%s", args, w, r.Stderr)
			}
		}
	}
}

// state locks names the holder of a held lock; force-unlock releases it.
func TestStateLocksWhileHeld(t *testing.T) {
	dir := t.TempDir()
	applySpec(t, dir, defaultSpec())
	if r := nova(t, dir, "state", "locks").Must(t, 0, "state locks"); !strings.Contains(r.Stdout, "No state lock is held.") {
		t.Errorf("state locks with no lock held:\n%s", r.Stdout)
	}
	store := local.New(filepath.Join(dir, ".nova"))
	id, err := store.Lock(context.Background(), state.LockInfo{Operation: "apply", Who: "ci@runner-7", PID: 4242})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Unlock(id)
	r := nova(t, dir, "state", "locks").Must(t, 0, "state locks")
	if !strings.Contains(r.Stdout, "workspace default: held by ci@runner-7 for apply since") || !strings.Contains(r.Stdout, "pid 4242, lock ID "+id) {
		t.Errorf("state locks does not name the holder:\n%s", r.Stdout)
	}
	r = nova(t, dir, "state", "locks", "-json").Must(t, 0, "state locks -json")
	var doc struct {
		FormatVersion string           `json:"format_version"`
		Locks         []state.LockInfo `json:"locks"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &doc); err != nil {
		t.Fatalf("state locks -json: %v\n%s", err, r.Stdout)
	}
	if len(doc.Locks) != 1 || doc.Locks[0].ID != id || doc.Locks[0].Who != "ci@runner-7" || doc.Locks[0].Workspace != "default" || doc.FormatVersion != JSONFormatVersion {
		t.Errorf("state locks -json = %+v, want the one lock %s of ci@runner-7 in workspace default", doc, id)
	}
	// A lock in another workspace is listed too.
	b := local.NewBackend(filepath.Join(dir, ".nova"))
	if err := b.CreateWorkspace(context.Background(), "ci"); err != nil {
		t.Fatal(err)
	}
	ci, err := b.Store(context.Background(), "ci")
	if err != nil {
		t.Fatal(err)
	}
	ciID, err := ci.Lock(context.Background(), state.LockInfo{Operation: "plan", Who: "ci@runner-8", PID: 4343})
	if err != nil {
		t.Fatal(err)
	}
	r = nova(t, dir, "state", "locks").Must(t, 0, "state locks")
	if !strings.Contains(r.Stdout, "workspace ci: held by ci@runner-8 for plan") || !strings.Contains(r.Stdout, "workspace default: held by ci@runner-7") {
		t.Errorf("state locks does not list the locks of both workspaces:\n%s", r.Stdout)
	}
	if err := ci.Unlock(ciID); err != nil {
		t.Fatal(err)
	}
	nova(t, dir, "force-unlock", "-force", id).Must(t, 0, "force-unlock")
	if r := nova(t, dir, "state", "locks").Must(t, 0, "state locks"); !strings.Contains(r.Stdout, "No state lock is held.") {
		t.Errorf("state locks after force-unlock:\n%s", r.Stdout)
	}
}
