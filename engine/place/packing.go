package place

import (
	"cmp"
	"maps"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// dims are the dimensions a packing checks: CPU, memory and disk.
const dims = 3

// packing is a batch of VMs to pack and the hosts' room, as plain numbers a
// strategy can copy and change without touching the cluster.
type packing struct {
	free  [][dims]int64   // per host: room left
	inv   [][dims]float64 // per host: 1 / capacity, 0 where not checked
	used  []bool          // per host: holds a VM already
	items []int32         // per VM of the batch: its class
	class []packClass
}

// packClass is a shape of VM: same demand and labels.
type packClass struct {
	dem      [dims]int64
	ok       []bool // per host: has the labels
	size     float64
	weighted float64 // size with each dimension weighted by the batch's total demand of it
	count    int
}

// unlimited is the room of a dimension a host does not report.
const unlimited = math.MaxInt64 / 4

func newPacking(c *Cluster, vms []VM, batch []int) *packing {
	p := &packing{}
	for _, h := range c.hosts {
		free := [dims]int64{int64(h.CPU - h.usedCPU), h.MemoryMiB - h.usedMiB, unlimited}
		inv := [dims]float64{1 / float64(max(h.CPU, 1)), 1 / float64(max(h.MemoryMiB, 1)), 0}
		if h.DiskGiB > 0 {
			free[2], inv[2] = h.DiskGiB-h.usedDisk, 1/float64(h.DiskGiB)
		}
		p.free, p.inv = append(p.free, free), append(p.inv, inv)
		p.used = append(p.used, h.usedCPU > 0 || h.usedMiB > 0 || h.usedDisk > 0 || anyVM(h.groups))
	}
	size := c.sizer()
	classes := map[classID]int32{}
	p.items = make([]int32, 0, len(batch))
	for _, i := range batch {
		vm := vms[i]
		key := classKey(vm)
		k, ok := classes[key]
		if !ok {
			k = int32(len(p.class))
			classes[key] = k
			p.class = append(p.class, c.newClass(vm, size(vm)))
		}
		p.items = append(p.items, k)
		p.class[k].count++
	}
	p.weigh(c)
	return p
}

// weigh sets each class's weighted size: its shares of the mean host's
// capacity, each weighted by the batch's total share of that dimension, so
// the dimension that binds counts most (FFDAvgSum of Panigrahy et al.).
func (p *packing) weigh(c *Cluster) {
	var capSum, total [dims]float64
	for _, h := range c.hosts {
		capSum[0], capSum[1], capSum[2] = capSum[0]+float64(h.CPU), capSum[1]+float64(h.MemoryMiB), capSum[2]+float64(h.DiskGiB)
	}
	for _, cl := range p.class {
		for d := range dims {
			total[d] += float64(cl.dem[d]) * float64(cl.count)
		}
	}
	for k := range p.class {
		w := 0.0
		for d := range dims {
			if capSum[d] > 0 {
				w += float64(p.class[k].dem[d]) / capSum[d] * total[d] / capSum[d]
			}
		}
		p.class[k].weighted = w
	}
}

func anyVM(groups map[string]int) bool {
	for _, n := range groups {
		if n > 0 {
			return true
		}
	}
	return false
}

// classID is what makes two VMs of a batch one class: their demand and
// their labels (sorted, NUL-separated; empty for none, the usual case,
// which so costs no allocation).
type classID struct {
	dem    [dims]int64
	labels string
}

func classKey(vm VM) classID {
	id := classID{dem: [dims]int64{int64(vm.CPU), vm.MemoryMiB, vm.DiskGiB}}
	if len(vm.Labels) == 0 {
		return id
	}
	for _, k := range slices.Sorted(maps.Keys(vm.Labels)) {
		id.labels += "\x00" + k + "=" + vm.Labels[k]
	}
	return id
}

func (c *Cluster) newClass(vm VM, size float64) packClass {
	pc := packClass{dem: [dims]int64{int64(vm.CPU), vm.MemoryMiB, vm.DiskGiB}, size: size, ok: make([]bool, len(c.hosts))}
	for j, h := range c.hosts {
		pc.ok[j] = missingLabel(h, vm.Labels) == ""
	}
	return pc
}

// fits reports whether host j has room for class k in free.
func (p *packing) fits(free [][dims]int64, j int, k int32) bool {
	cl := &p.class[k]
	if !cl.ok[j] {
		return false
	}
	for d := range dims {
		if cl.dem[d] > free[j][d] {
			return false
		}
	}
	return true
}

func take(free [][dims]int64, j int, dem [dims]int64) {
	for d := range dims {
		free[j][d] -= dem[d]
	}
}

// packer is one strategy: it returns a host per item, -1 for none.
type packer func(p *packing) []int32

// strategy is a packer and whether its work is items × hosts.
type strategy struct {
	pack       packer
	scansHosts bool
}

// packers are the strategies a batch is packed by, best expected first.
var packers = []strategy{
	{pack: packFill}, {pack: packDotProduct}, {pack: packL2, scansHosts: true},
	{pack: ffdBy(measureWeighted)}, {pack: ffdBy(measureSum)}, {pack: ffdBy(measureCPU)}, {pack: ffdBy(measureMemory)},
}

// maxScanWork bounds items × hosts for the strategies that look at every
// host for every item (packL2): beyond it they are skipped, and a batch of
// 100,000 VMs on 2,500 hosts costs what the others cost.
const maxScanWork = 8_000_000

// bestPacking runs every strategy and keeps the one that places the most
// items, then uses the fewest hosts (the first strategy on a tie). The
// strategies only read p, each packing a copy of the hosts' room, so a
// large batch runs them side by side on the machine's cores
// (packConcurrently); the packing kept is the same either way.
func bestPacking(p *packing, strategies []strategy) []int32 {
	results := make([][]int32, len(strategies))
	run := func(i int) {
		s := strategies[i]
		if s.scansHosts && len(p.items)*len(p.free) > maxScanWork {
			return
		}
		results[i] = s.pack(p)
	}
	if len(p.items) >= parallelPackItems {
		packConcurrently(len(strategies), run)
	} else {
		for i := range strategies {
			run(i)
		}
	}
	var best []int32
	bestUnplaced, bestHosts := 0, 0
	for _, a := range results {
		if a == nil {
			continue
		}
		unplaced, hosts := p.outcome(a)
		if best == nil || unplaced < bestUnplaced || (unplaced == bestUnplaced && hosts < bestHosts) {
			best, bestUnplaced, bestHosts = a, unplaced, hosts
		}
	}
	return best
}

// parallelPackItems is the least batch whose strategies run concurrently:
// below it a strategy takes microseconds, less than starting goroutines.
// A var so that tests can run small batches through the concurrent path.
var parallelPackItems = 2_000

// packConcurrently calls run(0) … run(n-1) on at most GOMAXPROCS
// goroutines and returns when all have returned.
func packConcurrently(n int, run func(int)) {
	var next atomic.Int32
	var wg sync.WaitGroup
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				run(i)
			}
		})
	}
	wg.Wait()
}

// outcome counts the items a leaves unplaced and the hosts in use after a.
func (p *packing) outcome(a []int32) (unplaced, hosts int) {
	used := slices.Clone(p.used)
	for _, j := range a {
		if j < 0 {
			unplaced++
		} else {
			used[j] = true
		}
	}
	for _, u := range used {
		if u {
			hosts++
		}
	}
	return unplaced, hosts
}

// decreasing returns the item indexes by a measure of their class, biggest
// first; equal ones keep the batch's order.
func (p *packing) decreasing(measure func(*packing, int32) float64) []int {
	order := make([]int, len(p.items))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Compare(measure(p, p.items[b]), measure(p, p.items[a]))
	})
	return order
}
