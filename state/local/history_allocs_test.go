package local_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novacron/novacron/state/local"
)

// TestAppendHistoryAllocs: appending records costs a fixed number of
// allocations (the buffer, the file), not some per record as reflection did.
func TestAppendHistoryAllocs(t *testing.T) {
	recs := actionRecords(1000)
	s := local.New(t.TempDir())
	allocs := testing.AllocsPerRun(5, func() {
		if err := s.AppendHistory(t.Context(), recs); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 40 {
		t.Errorf("AppendHistory of %d records allocates %.0f times; want at most 40", len(recs), allocs)
	}
	got, err := s.History(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 6*len(recs) { // AllocsPerRun runs once more to warm up
		t.Fatalf("read back %d records; want %d", len(got), 6*len(recs))
	}
	if diff := cmp.Diff(recs, got[:len(recs)]); diff != "" {
		t.Errorf("records read back differ (-appended +read):\n%s", diff)
	}
}
