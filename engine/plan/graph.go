package plan

import (
	"fmt"
	"sort"
	"strings"
)

// Graph orders a plan's changes. Nodes are changes, plus barriers that stand
// for "every change of this group is done", so that a fleet of 10,000 VMs
// waiting on another needs 10,000 edges, not 10,000 squared.
type Graph struct {
	Nodes []Node
	// Deps[i] are the nodes node i waits for.
	Deps [][]int
}

// Node is a change, or a barrier when Change is nil.
type Node struct {
	Change *Change
	Name   string // the barrier's name, or the change's address and action
}

// graphBuilder adds edges to a graph, one single-purpose step at a time.
type graphBuilder struct {
	g        *Graph
	p        *Plan
	barriers map[string]int
}

// BuildGraph orders the plan's changes: several changes to one address in
// turn, rollout batch k+1 after batch k, a fleet after the fleets it
// depends on, deletes in reverse dependency order, and a create after the
// delete of a VM whose name it reuses. It fails, naming the cycle, if the
// order is impossible.
func BuildGraph(p *Plan) (*Graph, error) {
	b := &graphBuilder{g: &Graph{}, p: p, barriers: map[string]int{}}
	for _, c := range p.Changes {
		b.node(Node{Change: c, Name: c.Address + " (" + c.Action.String() + ")"})
	}
	for _, step := range []func(){b.chainAddresses, b.rolloutBatches, b.dependsOn, b.reverseDeletes, b.nameReuse} {
		step()
	}
	if cycle := b.g.cycle(); cycle != nil {
		return nil, fmt.Errorf("the changes cannot be ordered: they form a cycle: %s", strings.Join(cycle, " → "))
	}
	return b.g, nil
}

func (b *graphBuilder) node(n Node) int {
	b.g.Nodes = append(b.g.Nodes, n)
	b.g.Deps = append(b.g.Deps, nil)
	return len(b.g.Nodes) - 1
}

func (b *graphBuilder) edge(from, to int) { b.g.Deps[from] = append(b.g.Deps[from], to) }

// barrier returns the named barrier node, creating it on first use.
func (b *graphBuilder) barrier(name string) int {
	if i, ok := b.barriers[name]; ok {
		return i
	}
	i := b.node(Node{Name: name})
	b.barriers[name] = i
	return i
}

// chainAddresses orders changes to the same address as the plan lists them.
func (b *graphBuilder) chainAddresses() {
	for i := 1; i < len(b.p.Changes); i++ {
		if b.p.Changes[i].Address == b.p.Changes[i-1].Address {
			b.edge(i, i-1)
		}
	}
}

func (b *graphBuilder) rolloutBatches() {
	for i, c := range b.p.Changes {
		if c.Batch == 0 {
			continue
		}
		b.edge(b.barrier(batchName(c.Fleet, c.Batch)), i)
		if c.Batch > 1 {
			b.edge(i, b.barrier(batchName(c.Fleet, c.Batch-1)))
		}
	}
}

func batchName(fleet string, n int) string { return fmt.Sprintf("%s: batch %d done", fleet, n) }

// dependsOn makes a fleet's changes (other than deletes) wait for those of
// the fleets it depends on, directly or through fleets with no changes.
func (b *graphBuilder) dependsOn() {
	applied := b.byFleet(func(c *Change) bool { return c.Action != Delete })
	b.follow(applied, b.p.FleetDeps, ": applied")
}

// reverseDeletes deletes a fleet's VMs only after the VMs of the fleets
// that depend on it, directly or through fleets with no deletes.
func (b *graphBuilder) reverseDeletes() {
	deletes := b.byFleet(func(c *Change) bool { return c.Action == Delete })
	b.follow(deletes, reverse(b.p.FleetDeps), ": deleted")
}

// follow makes each fleet's members wait for the done barrier of every
// fleet in after[fleet].
func (b *graphBuilder) follow(members map[string][]int, after map[string][]string, suffix string) {
	for _, fleet := range sortedKeys(members) {
		for _, dep := range after[fleet] {
			done := b.done(dep, members, after, suffix)
			for _, i := range members[fleet] {
				b.edge(i, done)
			}
		}
	}
}

// done returns the barrier for "fleet's members and everything they
// follow are done". It waits for the members and for the done barriers of
// after[fleet], so the order holds through a fleet with nothing to do, with
// edges linear in changes plus dependencies.
func (b *graphBuilder) done(fleet string, members map[string][]int, after map[string][]string, suffix string) int {
	if i, ok := b.barriers[fleet+suffix]; ok {
		return i
	}
	i := b.barrier(fleet + suffix)
	for _, m := range members[fleet] {
		b.edge(i, m)
	}
	for _, dep := range after[fleet] {
		b.edge(i, b.done(dep, members, after, suffix))
	}
	return i
}

// nameReuse makes a new VM wait for the delete of the VM whose name it
// takes on the same provider (hypervisors often require unique names).
func (b *graphBuilder) nameReuse() {
	deleted := map[string]int{}
	for i, c := range b.p.Changes {
		if c.Action == Delete {
			deleted[c.Before.Provider+"\x00"+c.Before.Name] = i
		}
	}
	for i, c := range b.p.Changes {
		if c.Action != Create && c.Action != Replace {
			continue
		}
		if j, ok := deleted[c.After.Provider+"\x00"+c.After.Name]; ok && j != i && b.p.Changes[j].Address != c.Address {
			b.edge(i, j)
		}
	}
}

func (b *graphBuilder) byFleet(keep func(*Change) bool) map[string][]int {
	out := map[string][]int{}
	for i, c := range b.p.Changes {
		if keep(c) {
			out[c.Fleet] = append(out[c.Fleet], i)
		}
	}
	return out
}

func sortedKeys(m map[string][]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
