package place

// index orders a cluster's hosts the way BestFit ranks them, so a placement
// finds the best feasible host in about log n steps instead of checking
// every host. It is a treap keyed by (VMs of the group when the index is
// for a spread group, free memory, free CPU, position in Cluster.hosts)
// whose nodes also hold the most free memory and CPU of their subtree: a
// subtree in which no host has room is skipped whole. The leftmost host
// with room is the one a scan in name order keeping the best would choose.
type index struct {
	group   string // spread by this group; "" for plain best fit
	spread  bool
	root    int32
	nodes   []node // by host position in Cluster.hosts
	lastUse int    // the cluster's placement count when last queried
}

// none is the empty subtree.
const none = -1

type node struct {
	left, right int32
	prio        uint32
	count       int   // VMs of the index's group, when it spreads
	mib         int64 // free memory
	cpu         int   // free CPU
	maxMiB      int64 // the most free memory in the subtree
	maxCPU      int   // the most free CPU in the subtree
}

// newIndex indexes every host of hosts.
func newIndex(hosts []*hostState, group string, spread bool) *index {
	x := &index{group: group, spread: spread, root: none, nodes: make([]node, len(hosts))}
	for i, h := range hosts {
		x.nodes[i].prio = priority(uint32(i))
		x.insert(int32(i), h)
	}
	return x
}

// priority scatters positions into heap priorities: a fixed hash keeps the
// tree balanced for any key order and the index deterministic.
func priority(i uint32) uint32 {
	i ^= i >> 16
	i *= 0x7feb352d
	i ^= i >> 15
	i *= 0x846ca68b
	return i ^ i>>16
}

// insert adds host h, at position i, keyed by its current allocation.
func (x *index) insert(i int32, h *hostState) {
	n := &x.nodes[i]
	n.left, n.right = none, none
	n.mib, n.cpu = h.MemoryMiB-h.usedMiB, h.CPU-h.usedCPU
	n.count = 0
	if x.spread {
		n.count = h.groups[x.group]
	}
	n.maxMiB, n.maxCPU = n.mib, n.cpu
	x.root = x.put(x.root, i)
}

// put adds node k to t: down the path its key takes to where its priority
// ranks, then the subtree there split around it.
func (x *index) put(t, k int32) int32 {
	if t == none {
		return k
	}
	n := &x.nodes[t]
	if x.nodes[k].prio > n.prio {
		x.nodes[k].left, x.nodes[k].right = x.split(t, k)
		x.pull(k)
		return k
	}
	if x.less(k, t) {
		n.left = x.put(n.left, k)
	} else {
		n.right = x.put(n.right, k)
	}
	x.pull(t)
	return t
}

// remove takes out the host at position i, before its allocation changes.
func (x *index) remove(i int32) { x.root = x.erase(x.root, i) }

// first returns the position of the best host with cpu and mib free, or
// none.
func (x *index) first(cpu int, mib int64) int32 { return x.find(x.root, cpu, mib) }

func (x *index) find(t int32, cpu int, mib int64) int32 {
	if t == none {
		return none
	}
	n := &x.nodes[t]
	if n.maxCPU < cpu || n.maxMiB < mib {
		return none
	}
	if f := x.find(n.left, cpu, mib); f != none {
		return f
	}
	if n.cpu >= cpu && n.mib >= mib {
		return t
	}
	return x.find(n.right, cpu, mib)
}

// less orders nodes as BestFit ranks hosts: fewer VMs of the group (spread
// only), less free memory, less free CPU, then the earlier host by name.
func (x *index) less(a, b int32) bool {
	na, nb := &x.nodes[a], &x.nodes[b]
	if na.count != nb.count {
		return na.count < nb.count
	}
	if na.mib != nb.mib {
		return na.mib < nb.mib
	}
	if na.cpu != nb.cpu {
		return na.cpu < nb.cpu
	}
	return a < b
}

// split divides t into the nodes ordered before k and the others.
func (x *index) split(t, k int32) (int32, int32) {
	if t == none {
		return none, none
	}
	n := &x.nodes[t]
	if x.less(t, k) {
		l, r := x.split(n.right, k)
		n.right = l
		x.pull(t)
		return t, r
	}
	l, r := x.split(n.left, k)
	n.left = r
	x.pull(t)
	return l, t
}

// merge joins a and b, every node of a ordered before every node of b.
func (x *index) merge(a, b int32) int32 {
	if a == none {
		return b
	}
	if b == none {
		return a
	}
	if x.nodes[a].prio > x.nodes[b].prio {
		x.nodes[a].right = x.merge(x.nodes[a].right, b)
		x.pull(a)
		return a
	}
	x.nodes[b].left = x.merge(a, x.nodes[b].left)
	x.pull(b)
	return b
}

// erase removes node k from t.
func (x *index) erase(t, k int32) int32 {
	n := &x.nodes[t]
	switch {
	case t == k:
		return x.merge(n.left, n.right)
	case x.less(k, t):
		n.left = x.erase(n.left, k)
	default:
		n.right = x.erase(n.right, k)
	}
	x.pull(t)
	return t
}

// pull recomputes t's subtree maxima from its children.
func (x *index) pull(t int32) {
	n := &x.nodes[t]
	mib, cpu := n.mib, n.cpu
	if n.left != none {
		l := &x.nodes[n.left]
		mib, cpu = max(mib, l.maxMiB), max(cpu, l.maxCPU)
	}
	if n.right != none {
		r := &x.nodes[n.right]
		mib, cpu = max(mib, r.maxMiB), max(cpu, r.maxCPU)
	}
	n.maxMiB, n.maxCPU = mib, cpu
}
