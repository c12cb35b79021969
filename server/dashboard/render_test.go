package dashboard

import (
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/novacron/novacron/engine/jsonformat"
	"github.com/novacron/novacron/server/auth"
	"github.com/novacron/novacron/server/estate"
)

// evil is a name that tries every context a page puts a name in.
const evil = `x"'><script>alert(1)</script><img src=x onerror=alert(2)>{{.}}`

// views are a view of each page, every name in them evil.
func views() map[string]any {
	now := time.Date(2026, 12, 6, 7, 0, 0, 0, time.UTC)
	vm := &jsonformat.VM{Name: evil, Host: evil, CPU: 2, MemoryGB: 4, DiskGB: 40, Power: evil, Template: evil, Tags: map[string]string{evil: evil}}
	changes := []jsonformat.Change{
		{Address: "vm." + evil, Action: "create", Provider: evil, After: vm, Reasons: []string{evil}},
		{Address: "fleet." + evil + "[0]", Action: evil, Provider: evil, Before: vm, After: &jsonformat.VM{Name: "n"}, Reasons: []string{evil}},
	}
	sp := &estate.SavedPlan{ID: evil, Workspace: evil, Who: evil, Digest: evil, Created: now, Expires: now,
		Plan: jsonformat.Plan{Changes: changes, Summary: map[string]int{evil: 1}, Warnings: []string{evil}}, Graph: [][]int{{}, {0}}}
	row := estate.VM{ID: evil, Workspace: evil, ManagedBy: evil, InventoryVM: jsonformat.InventoryVM{Provider: evil, Name: evil, Host: evil, Power: evil, Address: evil}}
	ws := &estate.WorkspaceInfo{Name: evil, Lineage: evil, Fleets: []estate.Fleet{{Address: evil, Provider: evil, File: evil}}}
	run := &estate.Run{ID: evil, Workspace: evil, Who: evil, Operation: evil, PlanID: evil, Status: estate.RunStatus(evil), Started: now,
		Summary: map[string]int{evil: 1}, Failed: []estate.FailedChange{{Address: evil, Action: evil, Error: evil}}, Error: evil}
	hist := []estate.HistoryRecord{{Kind: evil, Time: now, RunID: evil, Who: evil, Operation: evil, Address: evil, Action: evil, Outcome: evil, Error: evil}}
	t := newTallies()
	t.add(row)
	return map[string]any{
		"login":     loginView{Next: evil, User: evil, Error: evil},
		"error":     errorView{Message: evil},
		"overview":  overviewView{Workspaces: []estate.WorkspaceInfo{*ws}, Providers: t.providers(), Total: 1, Power: []count{{evil, 1}}},
		"workspace": workspaceView{WS: ws, Filter: estate.Filter{Status: evil, Fleet: evil, Provider: evil, Host: evil}, VMs: []estate.VM{row}, Runs: []estate.Run{*run}, History: hist, CanPlan: true, PlanURL: "/api/v1/workspaces/x/plans", PlanPage: "/workspaces/x/plans/", Next: "/workspaces/x?offset=100&status=" + evil},
		"history":   historyView{WS: evil, History: hist},
		"plan":      planView{WS: evil, Plan: sp, Summary: summary(sp.Plan.Summary), Changes: changeViews(changes), Graph: layout(changes, sp.Graph), CanApply: true, ApplyURL: "/api/v1/x"},
		"run":       runView{Run: run, Summary: summary(run.Summary), Changes: changeViews(changes), Live: true},
	}
}

// Every page shows evil names as text: no element, attribute or script
// of theirs gets into the page.
func TestTemplatesEscape(t *testing.T) {
	d := New(nil, Options{})
	for name, v := range views() {
		w := httptest.NewRecorder()
		d.render(w, 200, name, &auth.Principal{Name: evil}, evil, v)
		body := w.Body.String()
		if w.Code != 200 {
			t.Errorf("%s: %d %s", name, w.Code, body)
			continue
		}
		if n := strings.Count(body, "<script"); n != 1 {
			t.Errorf("%s: %d <script elements, want 1 (app.js)", name, n)
		}
		for _, bad := range []string{"<img", `"'>`, "<script>alert"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s: the page holds %q unescaped:\n%s", name, bad, body)
			}
		}
		if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s: the evil name is not shown as text", name)
		}
		if dir := os.Getenv("NOVA_DASHBOARD_PREVIEW"); dir != "" {
			_ = os.WriteFile(dir+"/"+name+".html", w.Body.Bytes(), 0o644)
		}
	}
}
