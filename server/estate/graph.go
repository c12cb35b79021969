package estate

import "github.com/novacron/novacron/engine/operation"

// maxGraphEdges bounds SavedPlan.Graph: a plan whose graph has more edges
// between changes (a rollout of thousands of VMs waits batch by batch) is
// kept without it.
const maxGraphEdges = 100_000

// changeGraph is the plan's graph as each change's dependencies, by
// change index: a barrier of the engine's graph ("batch 1 done") stands
// for the changes it waits for. Nil when the graph is larger than
// maxGraphEdges.
func changeGraph(p *operation.Planned) [][]int {
	g := p.Graph()
	n := len(p.Changes)
	index := make(map[int]int, n) // graph node → change index
	for i, node := range g.Nodes {
		if node.Change != nil {
			index[i] = len(index)
		}
	}
	memo := map[int][]int{} // barrier node → the changes it stands for
	out := make([][]int, n)
	edges := 0
	for i, node := range g.Nodes {
		if node.Change == nil {
			continue
		}
		deps := []int{}
		for _, d := range g.Deps[i] {
			deps = append(deps, resolve(g.Deps, index, memo, d)...)
		}
		if edges += len(deps); edges > maxGraphEdges {
			return nil
		}
		out[index[i]] = deps
	}
	return out
}

// resolve returns the changes node d stands for: itself when it is a
// change, the changes a barrier waits for, through other barriers.
func resolve(deps [][]int, index map[int]int, memo map[int][]int, d int) []int {
	if c, ok := index[d]; ok {
		return []int{c}
	}
	if m, ok := memo[d]; ok {
		return m
	}
	memo[d] = nil // a barrier reached again while resolved (no cycle in a built graph)
	var out []int
	seen := map[int]bool{}
	for _, x := range deps[d] {
		for _, c := range resolve(deps, index, memo, x) {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	memo[d] = out
	return out
}
