package dashboard

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novacron/novacron/engine/jsonformat"
)

func TestLevels(t *testing.T) {
	for _, tc := range []struct {
		name string
		n    int
		deps [][]int
		want []int
	}{
		{"none", 3, nil, []int{0, 0, 0}},
		{"chain", 3, [][]int{{}, {0}, {1}}, []int{0, 1, 2}},
		{"chain given backwards", 3, [][]int{{1}, {2}, {}}, []int{2, 1, 0}},
		{"diamond", 4, [][]int{{}, {0}, {0}, {1, 2}}, []int{0, 1, 1, 2}},
		{"longest path wins", 4, [][]int{{}, {0}, {1}, {0, 2}}, []int{0, 1, 2, 3}},
		{"out of range and self ignored", 2, [][]int{{-1, 7, 0}, {0, 1}}, []int{0, 1}},
		{"cycle cut", 3, [][]int{{2}, {0}, {1}}, []int{2, 0, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, levels(tc.n, tc.deps)); diff != "" {
				t.Errorf("levels (-want +got):\n%s", diff)
			}
		})
	}
}

// A chain of ten thousand changes needs no recursion, and is listed, not
// drawn.
func TestLayoutLongChain(t *testing.T) {
	const n = 10000
	changes := make([]jsonformat.Change, n)
	deps := make([][]int, n)
	for i := range changes {
		changes[i] = jsonformat.Change{Address: fmt.Sprintf("fleet.web[%d]", i), Action: "create"}
		if i > 0 {
			deps[i] = []int{i - 1}
		}
	}
	g := layout(changes, deps)
	if g.Drawn || g.Nodes != nil || g.Edges != nil {
		t.Errorf("a plan of %d changes is drawn (%d nodes)", n, len(g.Nodes))
	}
	if len(g.Levels) != n || g.Levels[n-1].Changes[0].After[0] != "fleet.web[9998]" {
		t.Errorf("got %d levels, want %d, the last after fleet.web[9998]", len(g.Levels), n)
	}
}

func TestLayoutDrawn(t *testing.T) {
	changes := []jsonformat.Change{
		{Address: "vm.db-01", Action: "create"},
		{Address: "fleet.web[0]", Action: "create"},
		{Address: "fleet.a-very-long-fleet-name-indeed[12]", Action: "update"},
	}
	g := layout(changes, [][]int{{}, {0}, {0}})
	want := graphView{
		Drawn: true, Width: 2*graphPad + colWidth + boxWidth, Height: 2*graphPad + rowHeight + boxHeight,
		Nodes: []node{
			{X: 10, Y: 10, TextX: 18, TextY: 26, Label: "vm.db-01", Address: "vm.db-01", Action: "create"},
			{X: 240, Y: 10, TextX: 248, TextY: 26, Label: "fleet.web[0]", Address: "fleet.web[0]", Action: "create"},
			{X: 240, Y: 44, TextX: 248, TextY: 60, Label: "…ong-fleet-name-indeed[12]", Address: "fleet.a-very-long-fleet-name-indeed[12]", Action: "update"},
		},
		Edges: []edge{{X1: 200, Y1: 22, X2: 238, Y2: 22}, {X1: 200, Y1: 22, X2: 238, Y2: 56}},
		Levels: []level{
			{N: 1, Changes: []levelChange{{Address: "vm.db-01", Action: "create"}}},
			{N: 2, Changes: []levelChange{
				{Address: "fleet.web[0]", Action: "create", After: []string{"vm.db-01"}},
				{Address: "fleet.a-very-long-fleet-name-indeed[12]", Action: "update", After: []string{"vm.db-01"}},
			}},
		},
	}
	if diff := cmp.Diff(want, g, cmp.AllowUnexported(graphView{}, node{}, edge{}, level{}, levelChange{})); diff != "" {
		t.Errorf("layout (-want +got):\n%s", diff)
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"":                  "/",
		"/":                 "/",
		"/workspaces/a?x=1": "/workspaces/a?x=1",
		"//evil.example/":   "/",
		"/\\evil.example":   "/",
		"https://evil/":     "/",
		"javascript:x":      "/",
		"/a\r\nSet-Cookie:": "/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDiffs(t *testing.T) {
	before := &jsonformat.VM{Name: "web-0", Host: "hv-01", CPU: 2, MemoryGB: 4, DiskGB: 40, Power: "running", Template: "t", Tags: map[string]string{"a": "1"}}
	after := *before
	after.CPU, after.MemoryGB, after.Tags = 4, 8.5, map[string]string{"a": "1", "b": "<x>"}
	want := []fieldDiff{{"cpu", "2", "4"}, {"memory_gb", "4", "8.5"}, {"tags", "a=1", "a=1, b=<x>"}}
	if diff := cmp.Diff(want, diffs(before, &after)); diff != "" {
		t.Errorf("update (-want +got):\n%s", diff)
	}
	if got := diffs(nil, before); len(got) != 8 || got[0] != (fieldDiff{"name", "—", "web-0"}) {
		t.Errorf("create: %v", got)
	}
	cvs := changeViews([]jsonformat.Change{{Action: "create", After: before}, {Action: "delete", Before: before}, {Action: "update", Before: before, After: &after}})
	const whole = "web-0 on hv-01 · 2 CPU · 4 GB · 40 GB disk · running · t · a=1"
	if r := cvs.Rows; r[0].Whole != whole || r[1].Whole != whole || r[2].Whole != "" || len(r[2].Diffs) != 3 || cvs.More != 0 {
		t.Errorf("change views: %+v", cvs)
	}
}

func TestChangeViewsCapped(t *testing.T) {
	cs := make([]jsonformat.Change, maxChangesShown+7)
	if got := changeViews(cs); len(got.Rows) != maxChangesShown || got.More != 7 {
		t.Errorf("%d changes: %d rows and %d more, want %d and 7", len(cs), len(got.Rows), got.More, maxChangesShown)
	}
}
