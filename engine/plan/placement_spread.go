package plan

import (
	"fmt"
	"maps"
	"slices"
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
	var unlabelled []string
	byDomain := map[string][]string{}
	for _, v := range kept {
		dom, ok := v.host, true
		if key != "host" {
			dom, ok = hosts[v.host].Labels[key]
		}
		if !ok {
			unlabelled = append(unlabelled, v.addr)
			continue
		}
		byDomain[dom] = append(byDomain[dom], v.addr)
	}
	rule := fmt.Sprintf("spread_by = %q", key)
	out := appendBreak(nil, unlabelled, rule+": %s on a host without the label "+key)
	n := len(kept) - len(unlabelled)
	limit := (n + max(len(domains), 1) - 1) / max(len(domains), 1)
	var over []string
	for _, dom := range slices.Sorted(maps.Keys(byDomain)) {
		if vms := byDomain[dom]; len(vms) > limit {
			over = append(over, vms[limit:]...)
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
