package main

import "testing"

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
