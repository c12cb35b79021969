package exec

import (
	"testing"
	"time"
)

// delay stays within [d/2, d] for d = base·2^(n-1) capped at MaxDelay, for
// any attempt number: a long retry run never collapses to short waits.
func TestRetryDelayBounds(t *testing.T) {
	tests := []RetryPolicy{
		{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond},
		RetryPolicy{}.withDefaults(),
		{BaseDelay: time.Nanosecond, MaxDelay: time.Duration(1<<63 - 1)},
	}
	for _, r := range tests {
		want := r.BaseDelay
		for n := 1; n <= 100; n++ {
			if n > 1 && want < r.MaxDelay {
				want = min(want*2, r.MaxDelay)
				if want <= 0 { // doubled past the largest Duration
					want = r.MaxDelay
				}
			}
			for range 20 {
				if got := r.delay(n); got < want/2 || got > want {
					t.Fatalf("%+v: delay(%d) = %v, want within [%v, %v]", r, n, got, want/2, want)
				}
			}
		}
	}
}
