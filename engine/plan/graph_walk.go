package plan

import (
	"fmt"
	"strings"
)

// cycle returns the nodes of one cycle, or nil when the graph is acyclic.
func (g *Graph) cycle() []string {
	color := make([]int8, len(g.Nodes)) // 0 new, 1 on stack, 2 done
	var stack []int
	var found []string
	var visit func(i int) bool
	visit = func(i int) bool {
		color[i] = 1
		stack = append(stack, i)
		for _, j := range g.Deps[i] {
			if color[j] == 1 {
				found = g.names(stack, j)
				return true
			}
			if color[j] == 0 && visit(j) {
				return true
			}
		}
		stack = stack[:len(stack)-1]
		color[i] = 2
		return false
	}
	for i := range g.Nodes {
		if color[i] == 0 && visit(i) {
			return found
		}
	}
	return nil
}

func (g *Graph) names(stack []int, from int) []string {
	k := len(stack) - 1
	for stack[k] != from {
		k--
	}
	var out []string
	for _, i := range stack[k:] {
		out = append(out, g.Nodes[i].Name)
	}
	return append(out, g.Nodes[from].Name)
}

// DOT renders the graph for Graphviz: an edge points from a node to what it
// waits for.
func (g *Graph) DOT() string {
	var b strings.Builder
	b.WriteString("digraph novacron {\n  rankdir = \"RL\";\n  node [shape = box];\n")
	for i, n := range g.Nodes {
		shape := ""
		if n.Change == nil {
			shape = ", shape = ellipse, style = dashed"
		}
		fmt.Fprintf(&b, "  n%d [label = %q%s];\n", i, n.Name, shape)
	}
	for i, deps := range g.Deps {
		for _, j := range deps {
			fmt.Fprintf(&b, "  n%d -> n%d;\n", i, j)
		}
	}
	b.WriteString("}\n")
	return b.String()
}
