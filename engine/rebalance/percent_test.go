package rebalance_test

import (
	"testing"

	"github.com/novacron/novacron/engine/rebalance"
)

func TestPercent(t *testing.T) {
	cases := []struct {
		in   float64
		want string
	}{
		{0, "0.0"},
		{89.44, "89.4"},
		{100, "100.0"},
		{1, "1.0"},
		{0.5, "0.5"},
		{0.004123, "0.00412"}, // below a -threshold 0.001 still shows why
		{0.0001234, "0.000123"},
	}
	for _, c := range cases {
		if got := rebalance.Percent(c.in); got != c.want {
			t.Errorf("Percent(%g) = %q, want %q", c.in, got, c.want)
		}
	}
}
