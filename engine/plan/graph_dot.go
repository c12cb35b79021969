package plan

import (
	"fmt"
	"strings"
)

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
