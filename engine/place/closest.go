package place

import (
	"math"
	"slices"
)

// Closest picks, from the rejections of an unplaceable vm, the n hosts that
// came closest to taking it: the smallest shortfall of capacity (the sum,
// over CPU, memory and disk, of what is missing as a share of the host's
// capacity), then hosts rejected for another reason (pin, labels,
// anti-affinity). A rejection of a host the cluster does not have (a
// missing pin) is always kept. They come back in the order given, so a
// cluster of n hosts or fewer has all its rejections listed as before.
func (c *Cluster) Closest(rejected []Rejection, vm VM, n int) []Rejection {
	if len(rejected) <= n {
		return rejected
	}
	score := make([]float64, len(rejected))
	order := make([]int, len(rejected))
	for i, r := range rejected {
		order[i] = i
		if h := c.byName[r.Host]; h != nil {
			score[i] = c.shortfall(h, vm)
		} else {
			score[i] = -1
		}
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case score[a] < score[b]:
			return -1
		case score[a] > score[b]:
			return 1
		}
		return 0
	})
	keep := order[:n]
	slices.Sort(keep)
	out := make([]Rejection, len(keep))
	for i, k := range keep {
		out[i] = rejected[k]
	}
	return out
}

// shortfall is how far h is from taking vm: the missing capacity as shares
// of h's capacity, or +Inf when a constraint other than capacity rejects
// it.
func (c *Cluster) shortfall(h *hostState, vm VM) float64 {
	probe := vm
	probe.CPU, probe.MemoryMiB, probe.DiskGiB = 0, 0, 0
	if c.reject(h, probe) != "" {
		return math.Inf(1)
	}
	s := missing(int64(vm.CPU), int64(h.CPU-h.usedCPU), int64(h.CPU)) + missing(vm.MemoryMiB, h.MemoryMiB-h.usedMiB, h.MemoryMiB)
	if h.DiskGiB > 0 {
		s += missing(vm.DiskGiB, h.DiskGiB-h.usedDisk, h.DiskGiB)
	}
	return s
}

func missing(need, free, capacity int64) float64 {
	if need <= free {
		return 0
	}
	return float64(need-max(free, 0)) / float64(max(capacity, 1))
}
