package sim

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/novacron/novacron/engine/driver"
)

// reconcileHosts makes the cluster's hosts the ones the config asks for:
// capacity follows the config, new hosts join, and hosts the config drops
// leave, unless VMs are still on them. A change is journaled.
func reconcileHosts(c *cluster, want []driver.Host, journal *os.File) error {
	if err := checkRemovedHosts(c, want); err != nil {
		return err
	}
	if slices.EqualFunc(c.hostList(), want, driver.Host.Equal) {
		return nil
	}
	e := entry{Op: opHosts, Hosts: toHostRecords(want)}
	if err := appendEntry(journal, e); err != nil {
		return err
	}
	return c.apply(e)
}

// checkRemovedHosts fails when a host the config no longer lists still has
// VMs, naming each such host.
func checkRemovedHosts(c *cluster, want []driver.Host) error {
	keep := make(map[string]bool, len(want))
	for _, h := range want {
		keep[h.Name] = true
	}
	stranded := map[string]int{}
	c.eachUse(func(host string, _ int, _ int64) {
		if !keep[host] {
			stranded[host]++
		}
	})
	if len(stranded) == 0 {
		return nil
	}
	var parts []string
	for _, name := range slices.Sorted(maps.Keys(stranded)) {
		parts = append(parts, fmt.Sprintf("%s (%s)", name, countVMs(stranded[name])))
	}
	return fmt.Errorf("cannot remove host %s from the simulated cluster: VMs are still on it; "+
		"delete or migrate them first, or keep the host in the provider block", strings.Join(parts, ", "))
}

// countVMs renders "1 VM" or "n VMs".
func countVMs(n int) string {
	if n == 1 {
		return "1 VM"
	}
	return fmt.Sprintf("%d VMs", n)
}
