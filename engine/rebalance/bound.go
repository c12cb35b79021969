package rebalance

import (
	"math"
	"slices"
)

// MinEvictions is the per-host minimum-eviction lower bound: the fewest
// VMs of vms whose removal can bring use under the threshold, counted per
// dimension alone (the k largest users of that dimension must cover its
// excess), the larger of the two. No set of fewer VMs clears the host; -1
// when even all of vms cannot.
func MinEvictions(vms []*VM, excess [2]float64) int {
	k := 0
	for d := range 2 {
		n := coverCount(vms, excess[d], d)
		if n < 0 {
			return -1
		}
		k = max(k, n)
	}
	return k
}

// coverCount is the fewest VMs whose use in dimension d sums to need.
func coverCount(vms []*VM, need float64, d int) int {
	if need <= 0 {
		return 0
	}
	uses := make([]float64, len(vms))
	for i, vm := range vms {
		uses[i] = use(vm, d)
	}
	slices.Sort(uses)
	sum := 0.0
	for i := len(uses) - 1; i >= 0; i-- {
		sum += uses[i]
		if sum >= need-epsilon(need) {
			return len(uses) - i
		}
	}
	return -1
}

func use(vm *VM, d int) float64 {
	if d == 0 {
		return vm.UseCPU
	}
	return vm.UseMemoryMiB
}

func epsilon(x float64) float64 { return 1e-9 * math.Max(1, x) }

// covers reports whether set's use covers excess in both dimensions.
func covers(set []*VM, excess [2]float64) bool {
	var sum [2]float64
	for _, vm := range set {
		sum[0] += vm.UseCPU
		sum[1] += vm.UseMemoryMiB
	}
	return sum[0] >= excess[0]-epsilon(excess[0]) && sum[1] >= excess[1]-epsilon(excess[1])
}
