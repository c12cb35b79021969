package exec

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/novacron/novacron/engine/driver"
)

// RetryPolicy retries transient driver errors with exponential backoff and
// jitter.
type RetryPolicy struct {
	MaxAttempts int           // including the first; default 5
	BaseDelay   time.Duration // default 500ms
	MaxDelay    time.Duration // default 30s
}

func (r RetryPolicy) withDefaults() RetryPolicy {
	if r.MaxAttempts <= 0 {
		r.MaxAttempts = 5
	}
	if r.BaseDelay <= 0 {
		r.BaseDelay = 500 * time.Millisecond
	}
	if r.MaxDelay <= 0 {
		r.MaxDelay = 30 * time.Second
	}
	return r
}

// delay is the wait before attempt n+1: base·2^(n-1), capped, with jitter
// drawn from its upper half so retries of many VMs spread out.
func (r RetryPolicy) delay(n int) time.Duration {
	d := r.BaseDelay << (n - 1)
	if d > r.MaxDelay || d <= 0 {
		d = r.MaxDelay
	}
	return d/2 + rand.N(d/2+1)
}

// retry runs op until it succeeds, fails permanently, runs out of attempts,
// or ctx ends. onRetry is called before each wait; never once ctx is done,
// as no attempt follows.
func (r RetryPolicy) retry(ctx context.Context, op func(attempt int) error, onRetry func(attempt int, err error)) (int, error) {
	for attempt := 1; ; attempt++ {
		err := op(attempt)
		if err == nil || driver.KindOf(err) != driver.KindTransient || attempt >= r.MaxAttempts || ctx.Err() != nil {
			return attempt, err
		}
		onRetry(attempt, err)
		t := time.NewTimer(r.delay(attempt))
		select {
		case <-ctx.Done():
			t.Stop()
			return attempt, err
		case <-t.C:
		}
	}
}
