package plan

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/place"
	"github.com/novacron/novacron/engine/spec"
)

// unevenSpread checks spread_by on the kept VMs: a VM on a host without
// the spread label breaks it, and so does a VM a host (or failure domain)
// holds beyond an even spread over the hosts (or domains) the fleet may
// use — ⌈VMs ÷ domains⌉ each — when a domain below that share has a host
// that could take it now (could: labels, avoid_same_host_as, free room),
// so that -replace would place it better. VMs that capacity or rules
// forced to share a domain break nothing. The VMs past the bound on a host
// are the last of its VMs in instance order.
func unevenSpread(kept []keptVM, hosts map[string]driver.Host, p spec.Placement, could func(keptVM, string) bool) []ruleBreak {
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
				if to := roomBelow(v, hosts, counts, limit, domainKey(key), could); to != "" {
					counts[to]++
					over = append(over, v.addr)
				}
			}
		}
	}
	return appendBreak(out, over, rule+fmt.Sprintf(": %%s beyond an even spread over the %d %s (at most %d each)", len(domains), unit, limit))
}

// domainKey returns a host's failure domain for spread_by key: its name
// for "host", else its label's value ("" without it).
func domainKey(key string) func(driver.Host) string {
	if key == "host" {
		return func(h driver.Host) string { return h.Name }
	}
	return func(h driver.Host) string { return h.Labels[key] }
}

// roomBelow is a domain below the even share (limit) with a host that
// could take v now, or "". Hosts are tried in name order.
func roomBelow(v keptVM, hosts map[string]driver.Host, counts map[string]int, limit int, domain func(driver.Host) string, could func(keptVM, string) bool) string {
	for _, name := range slices.Sorted(maps.Keys(hosts)) {
		dom := domain(hosts[name])
		if dom != "" && counts[dom] < limit && could(v, name) {
			return dom
		}
	}
	return ""
}

// couldTake reports whether a host of f's provider could take a kept VM
// of f now, as placement would check it (FitsVM: room after the plan's
// changes, labels, avoid_same_host_as, the spread label).
func (d *differ) couldTake(f *spec.Fleet) func(keptVM, string) bool {
	pk := f.Provider.Key()
	return func(v keptVM, host string) bool {
		if d.placing.clusters == nil {
			d.placing.clusters = d.clusters()
		}
		cl := d.placing.clusters[pk]
		if cl == nil {
			return false
		}
		vm := place.VM{
			Address: v.addr, Group: f.Address(), CPU: v.cpu, MemoryMiB: v.mib, DiskGiB: int64(v.disk),
			Labels: f.Placement.HostLabels, Avoid: f.Placement.AvoidSameHostAs,
		}
		if f.Placement.SpreadBy != "host" {
			vm.SpreadBy = f.Placement.SpreadBy
		}
		return cl.FitsVM(host, vm) == ""
	}
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
