package sim

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/novacron/novacron/engine/driver"
)

// faults is the misbehaviour a provider block asks for: latency on every
// call and transient failures of mutating calls.
type faults struct {
	latency time.Duration
	rate    float64

	mu  sync.Mutex // guards rng
	rng *rand.Rand
}

func newFaults(cfg config) *faults {
	seed := uint64(cfg.seed)
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	return &faults{
		latency: cfg.latency,
		rate:    cfg.failRate,
		rng:     rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
	}
}

// delay waits out the latency, or returns ctx's error (transient) when ctx
// is done first or already.
func (f *faults) delay(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return driver.Wrap(driver.KindTransient, err)
	}
	if f.latency <= 0 {
		return nil
	}
	t := time.NewTimer(f.latency)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return driver.Wrap(driver.KindTransient, ctx.Err())
	case <-t.C:
		return nil
	}
}

// fail returns a transient error with probability rate, for operation op.
func (f *faults) fail(op string) error {
	if f.rate <= 0 {
		return nil
	}
	f.mu.Lock()
	roll := f.rng.Float64()
	f.mu.Unlock()
	if roll >= f.rate {
		return nil
	}
	return driver.Errorf(driver.KindTransient, "%s failed: simulated transient fault (fail_rate %v)", op, f.rate)
}

// mutating is the preamble of every mutating call: the latency, then maybe
// an injected failure, before anything changes.
func (f *faults) mutating(ctx context.Context, op string) error {
	if err := f.delay(ctx); err != nil {
		return err
	}
	return f.fail(op)
}
