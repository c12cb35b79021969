package dashboard

import "github.com/novacron/novacron/engine/jsonformat"

// The plan graph is drawn on the server: each change a box in the column
// of its level (the longest chain of dependencies before it), each
// dependency an arrow from the change it waits for. Past maxDrawn changes
// the picture says nothing a reader can follow, and only the levelled
// list is shown.
const (
	maxDrawn   = 120
	colWidth   = 230
	boxWidth   = 190
	rowHeight  = 34
	boxHeight  = 24
	graphPad   = 10
	labelChars = 26
	listPerLvl = 100 // changes listed per level before "and N more"
)

// graphView is the plan graph as the plan page draws and lists it.
type graphView struct {
	Drawn         bool // false when there are too many changes to draw
	Width, Height int
	Nodes         []node
	Edges         []edge
	Levels        []level
}

type node struct {
	X, Y    int
	TextX   int
	TextY   int
	Label   string // the address, shortened to fit the box
	Address string
	Action  string
}

// edge is an arrow from the right side of a dependency to the left side
// of the change that waits for it.
type edge struct{ X1, Y1, X2, Y2 int }

// level is a column of the graph: changes that can run once every level
// before it is done.
type level struct {
	N       int
	Changes []levelChange
	More    int
}

type levelChange struct {
	Address, Action string
	After           []string // the addresses it waits for
}

// layout places the changes of a plan by level. deps[i] are the indexes
// of the changes change i waits for; an index out of range is ignored,
// and a cycle (which the engine never plans) is cut where it is met.
func layout(changes []jsonformat.Change, deps [][]int) graphView {
	lv := levels(len(changes), deps)
	var g graphView
	rows := map[int]int{} // level → changes placed in it so far
	pos := make([][2]int, len(changes))
	for i, c := range changes {
		l := lv[i]
		for len(g.Levels) <= l {
			g.Levels = append(g.Levels, level{N: len(g.Levels) + 1})
		}
		g.Levels[l].add(c, depAddrs(changes, deps, i))
		x, y := graphPad+l*colWidth, graphPad+rows[l]*rowHeight
		rows[l]++
		pos[i] = [2]int{x, y}
		g.Nodes = append(g.Nodes, node{X: x, Y: y, TextX: x + 8, TextY: y + 16, Label: shorten(c.Address), Address: c.Address, Action: c.Action})
		g.Width = max(g.Width, x+boxWidth+graphPad)
		g.Height = max(g.Height, y+boxHeight+graphPad)
	}
	for i := range changes {
		for _, d := range validDeps(deps, i, len(changes)) {
			g.Edges = append(g.Edges, edge{
				X1: pos[d][0] + boxWidth, Y1: pos[d][1] + boxHeight/2,
				X2: pos[i][0] - 2, Y2: pos[i][1] + boxHeight/2,
			})
		}
	}
	g.Drawn = len(changes) > 0 && len(changes) <= maxDrawn
	if !g.Drawn {
		g.Nodes, g.Edges = nil, nil
	}
	return g
}

func (l *level) add(c jsonformat.Change, after []string) {
	if len(l.Changes) >= listPerLvl {
		l.More++
		return
	}
	l.Changes = append(l.Changes, levelChange{Address: c.Address, Action: c.Action, After: after})
}

// levels computes each change's level without recursion (a plan may hold
// ten thousand changes in one chain).
func levels(n int, deps [][]int) []int {
	const (
		unseen = iota
		open
		done
	)
	lv := make([]int, n)
	state := make([]int, n)
	for root := range n {
		if state[root] == done {
			continue
		}
		stack := []int{root}
		state[root] = open
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			pushed := false
			for _, d := range validDeps(deps, i, n) {
				if state[d] == unseen {
					state[d] = open
					stack = append(stack, d)
					pushed = true
					break
				}
			}
			if pushed {
				continue
			}
			for _, d := range validDeps(deps, i, n) {
				if state[d] == done {
					lv[i] = max(lv[i], lv[d]+1)
				}
			}
			state[i] = done
			stack = stack[:len(stack)-1]
		}
	}
	return lv
}

// validDeps are the dependencies of change i that name another change.
func validDeps(deps [][]int, i, n int) []int {
	if i >= len(deps) {
		return nil
	}
	var out []int
	for _, d := range deps[i] {
		if d >= 0 && d < n && d != i {
			out = append(out, d)
		}
	}
	return out
}

func depAddrs(changes []jsonformat.Change, deps [][]int, i int) []string {
	var out []string
	for _, d := range validDeps(deps, i, len(changes)) {
		out = append(out, changes[d].Address)
	}
	return out
}

// shorten cuts an address to fit a box, keeping its end (the index).
func shorten(s string) string {
	r := []rune(s)
	if len(r) <= labelChars {
		return s
	}
	return "…" + string(r[len(r)-labelChars+1:])
}
