package lpbound_test

import (
	"math"
	"strings"
	"testing"

	"github.com/novacron/novacron/engine/place/lpbound"
)

func TestBound(t *testing.T) {
	host := [3]int64{10, 100, 0}
	for _, tc := range []struct {
		name  string
		types []lpbound.Type
		lp    float64
		hosts int
	}{
		{"halves pair up", []lpbound.Type{{Demand: [3]int64{5, 10, 0}, Count: 3}}, 1.5, 2},
		{"just over half: one per host", []lpbound.Type{{Demand: [3]int64{6, 10, 0}, Count: 3}}, 3, 3},
		// {4,6}×8/3, {4,4,2}×2/3, {6,2}×4/3: 14/3 hosts (memory caps the 2s at 50 GiB).
		{"two dimensions", []lpbound.Type{{Demand: [3]int64{4, 10, 0}, Count: 4}, {Demand: [3]int64{6, 10, 0}, Count: 4}, {Demand: [3]int64{2, 50, 0}, Count: 2}}, 14.0 / 3, 5},
		// Sizes 1/2+ε, 1/3+ε, 1/6+ε of a host need more than their sum.
		{"configurations beat the volume bound", []lpbound.Type{{Demand: [3]int64{51, 1, 0}, Count: 2}, {Demand: [3]int64{34, 1, 0}, Count: 2}, {Demand: [3]int64{17, 1, 0}, Count: 2}}, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := host
			if tc.lp == 0 { // the last case: hosts of 100 vCPU
				h = [3]int64{100, 100, 0}
			}
			got, err := lpbound.Bound(h, tc.types)
			if err != nil {
				t.Fatal(err)
			}
			if tc.lp == 0 {
				// Volume: (102+68+34)/100 = 2.04; the configurations
				// {51,34}×1.2, {51,17,17}×0.8, {34,34,17}×0.4 give 2.4.
				tc.lp, tc.hosts = 2.4, 3
			}
			if math.Abs(got.LP-tc.lp) > 1e-6 || got.Hosts != tc.hosts {
				t.Errorf("Bound = %.6f (%d hosts), want %.6f (%d)", got.LP, got.Hosts, tc.lp, tc.hosts)
			}
		})
	}
}

func TestBoundRefusesATypeThatFitsNoHost(t *testing.T) {
	_, err := lpbound.Bound([3]int64{8, 64, 0}, []lpbound.Type{{Demand: [3]int64{16, 8, 0}, Count: 1}})
	if err == nil || !strings.Contains(err.Error(), "does not fit a host") {
		t.Fatalf("err = %v, want a type that does not fit", err)
	}
}
