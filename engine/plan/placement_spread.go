package plan

import (
	"fmt"
	"strings"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/spec"
)

// unevenSpread checks spread_by on the kept VMs: a VM on a host without
// the spread label breaks it, and so does every VM a host (or failure
// domain) holds beyond an even spread over the hosts (or domains) the
// fleet may use — ⌈VMs ÷ domains⌉ each — whatever their free room. The
// VMs past that bound on a host are the last of its VMs in instance order.
func unevenSpread(kept []keptVM, hosts map[string]driver.Host, p spec.Placement) []ruleBreak {
	key := p.SpreadBy
	domains, unit := map[string]bool{}, "hosts"
	for _, h := range hosts {
		if !hasLabels(h, p.HostLabels) {
			continue
		}
		if key == "host" {
			domains[h.Name] = true
		} else if v, ok := h.Labels[key]; ok {
			domains[v], unit = true, fmt.Sprintf("%s values", key)
		}
	}
	domainOf := func(v keptVM) (string, bool) {
		if key == "host" {
			return v.host, true
		}
		dom, ok := hosts[v.host].Labels[key]
		return dom, ok
	}
	var unlabelled []string
	counts := map[string]int{}
	for _, v := range kept {
		if dom, ok := domainOf(v); ok {
			counts[dom]++
		} else {
			unlabelled = append(unlabelled, v.addr)
		}
	}
	rule := fmt.Sprintf("spread_by = %q", key)
	out := appendBreak(nil, unlabelled, rule+": %s on a host without the label "+key)
	n := len(kept) - len(unlabelled)
	limit := (n + max(len(domains), 1) - 1) / max(len(domains), 1)
	var over []string
	seen := map[string]int{}
	for _, v := range kept {
		if dom, ok := domainOf(v); ok && counts[dom] > limit {
			if seen[dom]++; seen[dom] > limit {
				over = append(over, v.addr)
			}
		}
	}
	return appendBreak(out, over, rule+fmt.Sprintf(": %%s beyond an even spread over the %d %s (at most %d each)", len(domains), unit, limit))
}

// listAddrs names up to five addresses, and how many more there are.
func listAddrs(addrs []string) string {
	const shown = 5
	s := strings.Join(addrs[:min(len(addrs), shown)], ", ")
	if len(addrs) > shown {
		s += fmt.Sprintf(" and %d more", len(addrs)-shown)
	}
	return s
}

// replaceFlags is the -replace flags for up to five addresses.
func replaceFlags(addrs []string) string {
	var flags []string
	for _, a := range addrs[:min(len(addrs), 5)] {
		flags = append(flags, "-replace="+a)
	}
	s := strings.Join(flags, " ")
	if len(addrs) > 5 {
		s += " …"
	}
	return s
}

// countOf is "1 VM" or "3 VMs".
func countOf(n int, what string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, what)
	}
	return fmt.Sprintf("%d %ss", n, what)
}
