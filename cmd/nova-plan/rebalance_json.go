package main

import (
	"io"
	"maps"
	"slices"

	"github.com/novacron/novacron/engine/jsonformat"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/rebalance"
)

// rebalanceDocument is what rebalance -json prints: the plan document
// and the rebalance report (docs/json-format.md, "The rebalance object").
type rebalanceDocument struct {
	jsonformat.Plan
	Rebalance rebalanceJSON `json:"rebalance"`
}

type rebalanceJSON struct {
	Mode        string           `json:"mode"`
	Threshold   float64          `json:"threshold"`
	Budget      int              `json:"budget"`
	Moves       int              `json:"moves"`
	Bound       int              `json:"bound"`
	Unmeasured  int              `json:"unmeasured"`
	NoHistory   int              `json:"no_history"`
	Unreported  []unreportedJSON `json:"unreported_providers"`
	HotHosts    []hotJSON        `json:"hot_hosts"`
	Emptied     []hostJSON       `json:"emptied_hosts"`
	SkippedHost []skipJSON       `json:"skipped_hosts"`
}

// unreportedJSON is a provider whose driver does not measure utilization.
type unreportedJSON struct {
	Provider string `json:"provider"`
	VMs      int    `json:"vms"`
}

type hostJSON struct {
	Provider string `json:"provider"`
	Host     string `json:"host"`
}

type hotJSON struct {
	hostJSON
	CPU    float64 `json:"cpu_percent"`
	Memory float64 `json:"memory_percent"`
}

type skipJSON struct {
	hostJSON
	Reason string `json:"reason"`
}

// writeRebalanceJSON prints the plan document with the rebalance object.
func writeRebalanceJSON(w io.Writer, p *plan.Plan, rep *rebalance.Report, o rebalance.Options) error {
	doc := rebalanceDocument{Plan: jsonformat.PlanDocument(p), Rebalance: rebalanceJSON{Mode: string(o.Mode), Threshold: o.Threshold,
		HotHosts: []hotJSON{}, Emptied: []hostJSON{}, SkippedHost: []skipJSON{}, Unreported: []unreportedJSON{}}}
	if rep != nil {
		r := &doc.Rebalance
		r.Budget, r.Unmeasured, r.NoHistory = rep.Budget, rep.Unmeasured, rep.NoHistory
		for _, un := range rep.Unreported {
			r.Unreported = append(r.Unreported, unreportedJSON{un.Provider, un.VMs})
		}
		for _, key := range slices.Sorted(maps.Keys(rep.Providers)) {
			res := rep.Providers[key]
			r.Moves, r.Bound = r.Moves+len(res.Moves), r.Bound+res.Bound
			for _, l := range res.Hot {
				r.HotHosts = append(r.HotHosts, hotJSON{hostJSON{key, l.Host}, l.CPU, l.Mem})
			}
			for _, h := range res.Emptied {
				r.Emptied = append(r.Emptied, hostJSON{key, h})
			}
			for _, s := range res.Skipped {
				r.SkippedHost = append(r.SkippedHost, skipJSON{hostJSON{key, s.Host}, s.Reason})
			}
		}
	}
	return jsonformat.Write(w, doc)
}
