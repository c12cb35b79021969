package rebalance_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/place"
	"github.com/novacron/novacron/engine/rebalance"
)

func hosts(n, cpu int, mib int64) []driver.Host {
	out := make([]driver.Host, n)
	for i := range out {
		out[i] = driver.Host{Name: fmt.Sprintf("h%d", i+1), CPU: cpu, MemoryMiB: mib}
	}
	return out
}

func vm(addr, host string, useCPU float64, opts ...func(*rebalance.VM)) rebalance.VM {
	v := rebalance.VM{Address: addr, Host: host, CPU: 4, MemoryMiB: 4096, UseCPU: useCPU, UseMemoryMiB: 1024}
	for _, o := range opts {
		o(&v)
	}
	return v
}

func pinned(v *rebalance.VM) { v.Pinned = true }

func spread(g string) func(*rebalance.VM) { return func(v *rebalance.VM) { v.Spread = g } }

// rules sets a VM's fleet (its group) and that fleet's placement rules.
func rules(group string, r place.VM) func(*rebalance.VM) {
	return func(v *rebalance.VM) { r.Group = group; v.Rules = r }
}

// labelled gives the hosts labels, in order.
func labelled(hs []driver.Host, labels ...map[string]string) []driver.Host {
	for i := range hs {
		hs[i].Labels = labels[i]
	}
	return hs
}

func TestRun(t *testing.T) {
	type want struct {
		moves   []string // address→to
		bound   int
		skipped []string
		emptied []string
	}
	cases := []struct {
		name string
		in   rebalance.Input
		want want
	}{{
		name: "a hot host is cleared by moving its one big user",
		in: rebalance.Input{Hosts: hosts(2, 16, 65536), VMs: []rebalance.VM{
			vm("a", "h1", 3), vm("b", "h1", 10), vm("c", "h1", 1), vm("d", "h2", 2),
		}},
		want: want{moves: []string{"b→h2"}, bound: 1},
	}, {
		name: "the pinned VM stays, the next one moves",
		in: rebalance.Input{Hosts: hosts(2, 16, 65536), VMs: []rebalance.VM{
			vm("a", "h1", 4), vm("b", "h1", 10, pinned), vm("c", "h1", 1), vm("d", "h2", 2),
		}},
		want: want{moves: []string{"a→h2"}, bound: 1},
	}, {
		name: "pinned VMs alone keep a host hot",
		in: rebalance.Input{Hosts: hosts(2, 16, 65536), VMs: []rebalance.VM{
			vm("a", "h1", 14, pinned), vm("b", "h1", 1),
		}},
		want: want{skipped: []string{"h1: its pinned VMs alone keep it above the threshold"}},
	}, {
		name: "spread keeps a VM off a host holding its group",
		in: rebalance.Input{Hosts: hosts(3, 16, 65536), VMs: []rebalance.VM{
			vm("w0", "h1", 10, spread("fleet.web")), vm("x", "h1", 4), vm("w1", "h2", 1, spread("fleet.web")),
		}},
		want: want{moves: []string{"w0→h3"}, bound: 1},
	}, {
		// In each of these, h1 is hot, a is the only VM that may move,
		// and h2 would be the coolest target but for the rule.
		name: "host_labels keep a VM off the cooler host that lacks them",
		in: rebalance.Input{Hosts: labelled(hosts(3, 32, 65536), map[string]string{"ssd": "true"}, nil, map[string]string{"ssd": "true"}), VMs: []rebalance.VM{
			vm("a", "h1", 14, rules("fleet.db", place.VM{Labels: map[string]string{"ssd": "true"}})), vm("b", "h1", 13, pinned), vm("c", "h3", 3),
		}},
		want: want{moves: []string{"a→h3"}, bound: 1},
	}, {
		name: "avoid_same_host_as keeps a VM off the host of the fleet it avoids",
		in: rebalance.Input{Hosts: hosts(3, 32, 65536), VMs: []rebalance.VM{
			vm("a", "h1", 14, rules("fleet.web", place.VM{Avoid: []string{"fleet.db"}})), vm("b", "h1", 13, pinned),
			vm("d", "h2", 1, rules("fleet.db", place.VM{})), vm("c", "h3", 3),
		}},
		want: want{moves: []string{"a→h3"}, bound: 1},
	}, {
		name: "the fleet a VM's fleet avoids keeps it off too (both ways)",
		in: rebalance.Input{Hosts: hosts(3, 32, 65536), VMs: []rebalance.VM{
			vm("a", "h1", 14, rules("fleet.db", place.VM{})), vm("b", "h1", 13, pinned),
			vm("w", "h2", 1, rules("fleet.web", place.VM{Avoid: []string{"fleet.db"}})), vm("c", "h3", 3),
		}},
		want: want{moves: []string{"a→h3"}, bound: 1},
	}, {
		name: "spread by rack keeps a VM out of a rack holding as many of its fleet",
		in: rebalance.Input{Hosts: labelled(hosts(4, 32, 65536),
			map[string]string{"rack": "r1"}, map[string]string{"rack": "r2"}, map[string]string{"rack": "r1"}, map[string]string{"rack": "r3"}), VMs: []rebalance.VM{
			vm("a", "h1", 14, rules("fleet.web", place.VM{SpreadBy: "rack"})), vm("b", "h1", 13, pinned),
			vm("w1", "h2", 1, rules("fleet.web", place.VM{SpreadBy: "rack"})), vm("c", "h3", 3), vm("d", "h4", 12),
		}},
		want: want{moves: []string{"a→h3"}, bound: 1},
	}, {
		name: "a move that would make its target hot is refused",
		in: rebalance.Input{Hosts: hosts(2, 16, 65536), VMs: []rebalance.VM{
			vm("a", "h1", 10), vm("b", "h1", 4), vm("c", "h2", 10),
		}},
		want: want{skipped: []string{"h1: no host can take b (last refusal: h2 would be hot (cpu 87.5 %, memory 3.1 %))"}},
	}, {
		name: "the budget leaves a host hot",
		in: rebalance.Input{MaxMoves: 1, Hosts: hosts(3, 16, 65536), VMs: []rebalance.VM{
			vm("a", "h1", 1.5), vm("b", "h1", 1.5), vm("c", "h1", 1.5), vm("d", "h1", 1.5), vm("e", "h1", 1.5),
			vm("f", "h1", 1.5), vm("g", "h1", 1.5), vm("h", "h1", 1.5), vm("i", "h1", 1.5), vm("j", "h1", 1.5),
		}},
		want: want{skipped: []string{"h1: clearing it takes at least 2 moves; the plan's budget has 1 left (-max-moves)"}},
	}, {
		name: "a move not worth its disruption is not made",
		in: rebalance.Input{Hosts: hosts(2, 16, 65536), VMs: []rebalance.VM{
			vm("a", "h1", 13.5, func(v *rebalance.VM) { v.UseMemoryMiB = 40000 }), vm("b", "h1", 0.2),
		}},
		want: want{skipped: []string{"h1: the VMs whose moves are worth their disruption (gain ÷ disruption ≥ the minimum) cannot clear it"}},
	}, {
		name: "consolidation empties the emptiest hosts",
		in: rebalance.Input{Mode: rebalance.Consolidate, Hosts: hosts(3, 16, 65536), VMs: []rebalance.VM{
			vm("a", "h1", 2), vm("b", "h2", 2), vm("c", "h2", 2), vm("d", "h3", 1),
		}},
		want: want{moves: []string{"d→h2", "a→h2"}, bound: 2, emptied: []string{"h3", "h1"}, skipped: []string{"h2: it receives VMs of this plan"}},
	}, {
		name: "consolidation does not pack a fleet that prefers spread",
		in: rebalance.Input{Mode: rebalance.Consolidate, Hosts: hosts(3, 16, 65536), VMs: []rebalance.VM{
			vm("a", "h1", 2), vm("b", "h2", 2), vm("c", "h2", 2), vm("d", "h3", 1, func(v *rebalance.VM) { v.PreferSpread = true }),
		}},
		want: want{moves: []string{"a→h2"}, bound: 1, emptied: []string{"h1"}, skipped: []string{
			`h3: it holds d, of a fleet that prefers spread (prefer = "spread"): consolidation does not pack it`, "h2: it receives VMs of this plan"}},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := c.in
			in.Threshold, in.MinRatio = rebalance.DefaultThreshold, rebalance.DefaultMinRatio
			if in.Mode == "" {
				in.Mode = rebalance.Hot
			}
			if in.MaxMoves == 0 {
				in.MaxMoves = 10
			}
			r, err := rebalance.Run(in)
			if err != nil {
				t.Fatal(err)
			}
			got := want{bound: r.Bound, emptied: r.Emptied}
			for _, m := range r.Moves {
				got.moves = append(got.moves, m.Address+"→"+m.To)
			}
			for _, s := range r.Skipped {
				got.skipped = append(got.skipped, s.Host+": "+s.Reason)
			}
			if d := cmp.Diff(c.want, got, cmp.AllowUnexported(want{})); d != "" {
				t.Errorf("result (-want +got):\n%s", d)
			}
		})
	}
}
