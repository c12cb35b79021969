package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

// TestUserPacesGC checks that a GOGC or GOMEMLIMIT in the environment,
// even one that says the default, turns NovaCron's pacing off.
func TestUserPacesGC(t *testing.T) {
	for _, tc := range []struct {
		environ []string
		want    bool
	}{
		{nil, false},
		{[]string{"HOME=/root", "GOFLAGS=-mod=mod", "XGOGC=1"}, false},
		{[]string{"GOGC=100"}, true},
		{[]string{"HOME=/root", "GOGC=off"}, true},
		{[]string{"GOMEMLIMIT=1GiB"}, true},
		{[]string{"GOMEMLIMIT="}, false}, // the runtime takes it for unset
	} {
		if got := userPacesGC(tc.environ); got != tc.want {
			t.Errorf("userPacesGC(%q) = %v, want %v", tc.environ, got, tc.want)
		}
	}
}

// TestInProcessRunsDoNotPaceGC checks that only main sets the limit: run,
// which tests call in process, leaves the test binary's collector alone.
func TestInProcessRunsDoNotPaceGC(t *testing.T) {
	if paceGC != nil {
		t.Error("paceGC is set in a test binary: every in-process run would change its memory limit")
	}
}

// TestNextLimit checks the limit's guard: it stays while the live heap
// leaves a tenth of it free, and becomes Go's default pacing (twice the
// live heap) when the estate keeps more live than estimated.
func TestNextLimit(t *testing.T) {
	const mb = 1 << 20
	for _, tc := range []struct {
		limit, live, want int64
	}{
		{154 * mb, 129 * mb, 154 * mb}, // the 100,000-VM plan: kept
		{100 * mb, 90 * mb, 100 * mb},  // exactly nine tenths: kept
		{100 * mb, 91 * mb, 182 * mb},  // above: twice the live heap
		{93 * mb, 300 * mb, 600 * mb},  // many tags per VM
		{600 * mb, 580 * mb, 1160 * mb},
	} {
		if got := nextLimit(tc.limit, tc.live); got != tc.want {
			t.Errorf("nextLimit(%d MB, %d MB live) = %d MB, want %d MB", tc.limit/mb, tc.live/mb, got/mb, tc.want/mb)
		}
	}
}

// TestStartGCLastsOneCollection checks startGC's pacing: GOGC is
// gcStartPercent until a collection ends, then what it was before.
func TestStartGCLastsOneCollection(t *testing.T) {
	before := gogc(t)
	t.Cleanup(func() { debug.SetGCPercent(before) })
	startGC()
	if got := gogc(t); got != gcStartPercent {
		t.Fatalf("GOGC after startGC = %d, want %d", got, gcStartPercent)
	}
	runtime.GC()
	deadline := time.Now().Add(10 * time.Second)
	for gogc(t) != before {
		if time.Now().After(deadline) {
			t.Fatalf("GOGC is still %d 10 s after a collection, want %d back", gogc(t), before)
		}
		runtime.GC() // the finalizer runs after the collection that frees the sentinel
		time.Sleep(10 * time.Millisecond)
	}
}

// gogc reads the collector's GOGC.
func gogc(t *testing.T) int {
	t.Helper()
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		t.Fatalf("the runtime has no %s metric", s[0].Name)
	}
	return int(s[0].Value.Uint64())
}
