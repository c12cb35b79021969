package dashboard

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/novacron/novacron/engine/jsonformat"
	"github.com/novacron/novacron/server/auth"
	"github.com/novacron/novacron/server/estate"
)

// maxChangesShown is how many changes the plan and run pages list; the
// summary counts them all, and the graph's levels list them.
const maxChangesShown = 1000

type planView struct {
	WS       string
	Plan     *estate.SavedPlan
	Summary  []count
	Changes  changeList
	Graph    graphView
	CanApply bool
	ApplyURL string // POST with the digest
}

// changeView is one change as the plan and run pages list it: the
// settings an update changes, before → after; the whole VM a create makes
// or a delete removes, on one line.
type changeView struct {
	jsonformat.Change
	Diffs []fieldDiff
	Whole string
}

// fieldDiff is one setting a change sets, changes or removes.
type fieldDiff struct{ Field, Before, After string }

// plan is /workspaces/{ws}/plans/{id}: the changes with their reasons,
// the graph, and the Apply button for an operator.
func (d *Dashboard) plan(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	ws, id := r.PathValue("ws"), r.PathValue("id")
	if !p.Can(auth.Read, ws) {
		d.forbid(w, p)
		return
	}
	sp, err := d.est.GetPlan(r.Context(), ws, id)
	if err != nil {
		d.fail(w, r, p, err)
		return
	}
	v := planView{
		WS: ws, Plan: sp, Summary: summary(sp.Plan.Summary), Changes: changeViews(sp.Plan.Changes),
		Graph: layout(sp.Plan.Changes, sp.Graph), CanApply: p.Can(auth.Apply, ws) && len(sp.Plan.Changes) > 0,
		ApplyURL: "/api/v1/workspaces/" + url.PathEscape(ws) + "/plans/" + url.PathEscape(id) + "/apply",
	}
	d.render(w, http.StatusOK, "plan", p, "Plan "+id, v)
}

type runView struct {
	Run     *estate.Run
	Summary []count
	Changes changeList
	Live    bool // the run is not finished: follow it from /ws/status
}

// run is /runs/{id}: a run's status, what it did, what failed; a run in
// progress is followed live.
func (d *Dashboard) run(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	run, err := d.est.GetRun(r.Context(), r.PathValue("id"), 0)
	if err == nil && !p.Can(auth.Read, run.Workspace) {
		// As the API answers: a run the user may not see is no run.
		err = estate.ErrNotFound
	}
	if err != nil {
		d.fail(w, r, p, err)
		return
	}
	v := runView{Run: run, Summary: summary(run.Summary), Live: run.Status == estate.RunQueued || run.Status == estate.RunRunning}
	if run.Plan != nil {
		v.Changes = changeViews(run.Plan.Changes)
	}
	d.render(w, http.StatusOK, "run", p, "Run "+run.ID, v)
}

// summary lists the counts of m that are not zero, by name.
func summary(m map[string]int) []count {
	out := []count{}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if m[k] != 0 {
			out = append(out, count{Name: k, N: m[k]})
		}
	}
	return out
}

// changeList is the changes a page lists, and how many more there are.
type changeList struct {
	Rows []changeView
	More int
}

// changeViews lists the first maxChangesShown changes.
func changeViews(cs []jsonformat.Change) changeList {
	more := max(0, len(cs)-maxChangesShown)
	cs = cs[:len(cs)-more]
	out := make([]changeView, len(cs))
	for i, c := range cs {
		switch {
		case c.Before == nil && c.After != nil:
			out[i] = changeView{Change: c, Whole: oneLine(c.After)}
		case c.After == nil && c.Before != nil:
			out[i] = changeView{Change: c, Whole: oneLine(c.Before)}
		default:
			out[i] = changeView{Change: c, Diffs: diffs(c.Before, c.After)}
		}
	}
	return changeList{Rows: out, More: more}
}

// diffs lists the settings that differ between before and after (all of
// them for a create or a delete), in a fixed order.
func diffs(before, after *jsonformat.VM) []fieldDiff {
	fields := func(vm *jsonformat.VM) []string {
		if vm == nil {
			return make([]string, 8)
		}
		tmpl := vm.Template
		if vm.TemplateName != "" {
			tmpl = vm.TemplateName
		}
		return []string{vm.Name, vm.Host, fmt.Sprint(vm.CPU), gb(vm.MemoryGB), fmt.Sprint(vm.DiskGB), vm.Power, tmpl, tagList(vm.Tags)}
	}
	names := []string{"name", "host", "cpu", "memory_gb", "disk_gb", "power", "template", "tags"}
	b, a := fields(before), fields(after)
	var out []fieldDiff
	for i, n := range names {
		if b[i] != a[i] {
			out = append(out, fieldDiff{Field: n, Before: orDash(b[i]), After: orDash(a[i])})
		}
	}
	return out
}

// gb writes gigabytes without trailing zeros: 4, 0.5, 1.25.
// oneLine describes a whole VM: "db-01 on hv-01 · 8 CPU · 32 GB · 200 GB
// disk · running · ubuntu-22.04 · env=demo".
func oneLine(vm *jsonformat.VM) string {
	tmpl := vm.Template
	if vm.TemplateName != "" {
		tmpl = vm.TemplateName
	}
	parts := []string{vm.Name}
	if vm.Host != "" {
		parts[0] += " on " + vm.Host
	}
	parts = append(parts, fmt.Sprintf("%d CPU", vm.CPU), gb(vm.MemoryGB)+" GB", fmt.Sprintf("%d GB disk", vm.DiskGB))
	for _, s := range []string{vm.Power, tmpl, tagList(vm.Tags)} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " · ")
}

func gb(f float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", f), "0"), ".")
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// tagList writes tags as k=v, sorted by key.
func tagList(tags map[string]string) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		parts = append(parts, k+"="+tags[k])
	}
	return strings.Join(parts, ", ")
}
