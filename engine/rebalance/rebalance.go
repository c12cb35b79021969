package rebalance

import "fmt"

// Defaults of a rebalance.
const (
	DefaultThreshold   = 80.0
	DefaultMinRatio    = 0.5
	DefaultMovePercent = 10.0
)

// Run chooses the moves of in.Mode. Its input is not changed.
func Run(in Input) (*Result, error) {
	if err := check(in); err != nil {
		return nil, err
	}
	f := newFleet(in)
	r := &Result{}
	if in.Mode == Consolidate {
		f.consolidate(r)
	} else {
		f.clearHot(r)
	}
	return r, nil
}

func check(in Input) error {
	switch {
	case in.Mode != Hot && in.Mode != Consolidate:
		return fmt.Errorf("mode %q: use hot or consolidate", in.Mode)
	case !(in.Threshold > 0 && in.Threshold <= 100): // NaN too
		return fmt.Errorf("threshold %g: give a percentage above 0 and at most 100", in.Threshold)
	case in.MaxMoves < 0:
		return fmt.Errorf("max moves %d is negative", in.MaxMoves)
	}
	return nil
}

// Budget is the move budget of a plan over n VMs: percent of them,
// rounded down, and at least one when there is a VM.
func Budget(n int, percent float64) int {
	b := int(float64(n) * percent / 100)
	if b < 1 && n > 0 {
		return 1
	}
	return b
}
