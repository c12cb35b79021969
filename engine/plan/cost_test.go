package plan_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
)

// TestChangeCosts prices each action on a provider at $0.01 per core-hour
// (2 vCPU: $14.60 a month) and sums them; an unpriced provider gives none.
func TestChangeCosts(t *testing.T) {
	f := applied(t, `fleet "web" {
  count = 2
  template = template.ubuntu
  cpu = 2
  memory_gb = 4
}
`)
	f.spec = loadSpec(t, `fleet "web" {
  count = 1
  template = template.ubuntu
  cpu = 4
  memory_gb = 4
}
vm "db" {
  template = template.ubuntu
  cpu = 2
  memory_gb = 4
}
`)
	type cost struct {
		Action        plan.Action
		Before, After float64
		Delta         float64
	}
	for _, tc := range []struct {
		name   string
		prices map[string]driver.Pricer
		want   map[string]cost
		total  float64
	}{{
		name:   "priced",
		prices: map[string]driver.Pricer{pk: driver.CorePricer{PerCoreHour: 0.01}},
		want: map[string]cost{
			"fleet.web[0]": {plan.Update, 14.6, 29.2, 14.6},
			"fleet.web[1]": {plan.Delete, 14.6, 0, -14.6},
			"vm.db":        {plan.Create, 0, 14.6, 14.6},
		},
		total: 14.6,
	}, {
		name:   "unpriced",
		prices: map[string]driver.Pricer{pk: driver.CorePricer{}},
		want:   map[string]cost{},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			in := f.input()
			in.Prices = tc.prices
			p := mustDiff(t, in)
			got := map[string]cost{}
			for _, c := range p.Changes {
				if c.Cost == nil {
					continue
				}
				g := cost{Action: c.Action, Delta: c.Cost.MonthlyDelta}
				if c.Cost.Before != nil {
					g.Before = c.Cost.Before.Monthly
				}
				if c.Cost.After != nil {
					g.After = c.Cost.After.Monthly
				}
				got[c.Address] = g
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("costs (-want +got):\n%s", diff)
			}
			if (p.Cost == nil) != (len(tc.want) == 0) || p.Cost != nil && p.Cost.MonthlyDelta != tc.total {
				t.Errorf("plan cost = %+v, want %v", p.Cost, tc.total)
			}
		})
	}
}
