package libvirt

import (
	"strconv"
	"strings"

	lv "github.com/digitalocean/go-libvirt"

	"github.com/novacron/novacron/engine/driver"
)

// A VM's disk size is what NovaCron recorded when it made or grew the disk
// (the metadata's disk-gb). A domain NovaCron did not make (one defined
// by hand and imported) has no such record: its size is read from
// libvirt's domain statistics, for all such domains of a host in one call
// (ConnectGetAllDomainStats, block group), never one call per VM. The
// capacity is what the disk image says (a qcow2's virtual size), which
// libvirtd reads for a stopped domain too. It is reported in whole GiB,
// rounded down, so a spec that asks for the size the disk has plans no
// change. A hypervisor that gives no block statistics (the test driver),
// or a domain too busy to answer at once, leaves the size unknown: 0, and
// the plan then changes nothing about the disk.

// fillDiskSizes sets the DiskGB of each VM that has none from the block
// statistics of its domain's disk (target vda). An error leaves the sizes
// unknown: the inventory is still whole without them.
func fillDiskSizes(l *lv.Libvirt, vms []driver.VM) {
	var doms []lv.Domain
	for _, vm := range vms {
		if vm.DiskGB != 0 {
			continue
		}
		if u, ok := parseUUID(vm.ID); ok {
			doms = append(doms, lv.Domain{Name: vm.Name, UUID: u})
		}
	}
	if len(doms) == 0 {
		return
	}
	stats, err := l.ConnectGetAllDomainStats(doms, uint32(lv.DomainStatsBlock), uint32(lv.ConnectGetAllDomainsStatsNowait))
	if err != nil {
		return
	}
	sizes := make(map[string]int, len(stats))
	for _, rec := range stats {
		if gb := diskGiB(rec.Params); gb > 0 {
			sizes[formatUUID(rec.Dom.UUID)] = gb
		}
	}
	for i := range vms {
		if gb, ok := sizes[vms[i].ID]; ok && vms[i].DiskGB == 0 {
			vms[i].DiskGB = gb
		}
	}
}

// diskGiB reads the capacity of disk vda from a domain's block statistics
// (block.N.name, block.N.capacity), in whole GiB; 0 when it is not there.
func diskGiB(params []lv.TypedParam) int {
	names := map[string]string{}
	capacity := map[string]uint64{}
	for _, p := range params {
		n, field, ok := blockField(p.Field)
		if !ok {
			continue
		}
		switch v := p.Value.I.(type) {
		case string:
			if field == "name" {
				names[n] = v
			}
		case uint64:
			if field == "capacity" {
				capacity[n] = v
			}
		}
	}
	for n, name := range names {
		if name == diskTarget {
			return int(capacity[n] / gib)
		}
	}
	return 0
}

// blockField splits "block.3.capacity" into "3" and "capacity".
func blockField(f string) (n, field string, ok bool) {
	rest, ok := strings.CutPrefix(f, "block.")
	if !ok {
		return "", "", false
	}
	n, field, ok = strings.Cut(rest, ".")
	if _, err := strconv.Atoi(n); err != nil {
		return "", "", false
	}
	return n, field, ok
}
