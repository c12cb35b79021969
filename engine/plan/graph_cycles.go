package plan

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
