package local_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

// actionRecords returns the n action records of an apply creating n VMs.
func actionRecords(n int) []state.HistoryRecord {
	recs := make([]state.HistoryRecord, n)
	at := time.Date(2026, 12, 7, 4, 0, 0, 0, time.UTC)
	for i := range recs {
		recs[i] = state.HistoryRecord{Kind: state.RecordAction, Time: at.Add(time.Duration(i) * time.Microsecond),
			RunID: "01JF6Q4Z3X2V1T0S9R8Q7P6N5M", Who: "ada@build-7", Operation: "apply",
			Address: "fleet.app[" + strconv.Itoa(i) + "]", Action: "create", Outcome: state.OutcomeOK}
	}
	return recs
}

// BenchmarkAppendHistory100k appends the 100,000 action records of a
// 100,000-VM apply to a new history.jsonl in one call (encode, write,
// fsync).
func BenchmarkAppendHistory100k(b *testing.B) {
	recs := actionRecords(100_000)
	dir := b.TempDir()
	s := local.New(dir)
	b.ReportAllocs()
	for b.Loop() {
		if err := s.AppendHistory(b.Context(), recs); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := os.Remove(filepath.Join(dir, local.HistoryFile)); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
