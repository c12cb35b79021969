package api_test

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/novacron/novacron/server/api"
	"github.com/novacron/novacron/server/estate"
)

// vmPath is the API path of a VM, its id escaped.
func vmPath(id string, action ...string) string {
	p := "/api/v1/vms/" + url.PathEscape(id)
	for _, a := range action {
		p += "/" + a
	}
	return p
}

// waitRun long-polls a run until it finishes and fails the test unless
// it succeeded.
func (e *testEnv) waitRun(t testing.TB, user string, run estate.Run) estate.Run {
	t.Helper()
	for range 10 {
		e.do(t, user, "GET", "/api/v1/runs/"+url.PathEscape(run.ID)+"?wait=60s", "").want(t, 200).decode(t, &run)
		if run.Status == estate.RunSucceeded || run.Status == estate.RunFailed {
			break
		}
	}
	if run.Status != estate.RunSucceeded {
		t.Fatalf("run %s (%s): status %s, error %q, failed %v", run.ID, run.Operation, run.Status, run.Error, run.Failed)
	}
	return run
}

// applyQuickstart plans and applies the quickstart workspace as user.
func (e *testEnv) applyQuickstart(t testing.TB, user string) estate.Run {
	t.Helper()
	var sp estate.SavedPlan
	r := e.do(t, user, "POST", "/api/v1/workspaces/quickstart/plans", "").want(t, 201).decode(t, &sp)
	if loc := r.header.Get("Location"); loc != "/api/v1/workspaces/quickstart/plans/"+sp.ID {
		t.Errorf("plan Location %q", loc)
	}
	var run estate.Run
	r = e.do(t, user, "POST", "/api/v1/workspaces/quickstart/plans/"+sp.ID+"/apply", `{"digest":"`+sp.Digest+`"}`).want(t, 202).decode(t, &run)
	if loc := r.header.Get("Location"); loc != "/api/v1/runs/"+run.ID {
		t.Errorf("apply Location %q, want /api/v1/runs/%s", loc, run.ID)
	}
	return e.waitRun(t, user, run)
}

// TestRoutes goes through every route of the API, as a user would: plan
// and apply the quickstart, list and read what it made, create an
// API-owned VM, act on it and delete it, then log out.
func TestRoutes(t *testing.T) {
	e := newEnv(t)

	var list struct{ Workspaces []estate.WorkspaceInfo }
	e.do(t, "viewer", "GET", "/api/v1/workspaces", "").want(t, 200).decode(t, &list)
	if names := wsNames(list.Workspaces); !slices.Contains(names, "quickstart") {
		t.Fatalf("workspaces %v: no quickstart", names)
	}
	e.do(t, "stranger", "GET", "/api/v1/workspaces", "").want(t, 200).decode(t, &list)
	if len(list.Workspaces) != 0 {
		t.Errorf("a user without a role on any served workspace sees %v", wsNames(list.Workspaces))
	}
	var ws estate.WorkspaceInfo
	e.do(t, "viewer", "GET", "/api/v1/workspaces/quickstart", "").want(t, 200).decode(t, &ws)
	if ws.Name != "quickstart" || len(ws.Fleets) != 2 {
		t.Errorf("workspace quickstart: %+v, want its two fleets", ws)
	}

	run := e.applyQuickstart(t, "operator")
	if run.Who != "operator" || run.Workspace != "quickstart" || run.Summary["create"] != 5 {
		t.Errorf("the apply's run: %+v, want 5 VMs created by operator", run)
	}
	var plan estate.SavedPlan
	e.do(t, "viewer", "GET", "/api/v1/workspaces/quickstart/plans/"+url.PathEscape(run.PlanID), "").want(t, 200).decode(t, &plan)
	if plan.ID != run.PlanID || plan.Digest != run.PlanDigest {
		t.Errorf("GET the applied plan: id %q digest %q, want %q %q", plan.ID, plan.Digest, run.PlanID, run.PlanDigest)
	}

	var runs struct {
		Runs  []estate.Run
		Total int
	}
	e.do(t, "viewer", "GET", "/api/v1/workspaces/quickstart/runs?limit=10", "").want(t, 200).decode(t, &runs)
	if runs.Total < 1 || runs.Runs[0].ID != run.ID {
		t.Errorf("runs of quickstart: %+v, want the apply %s first", runs, run.ID)
	}
	var hist struct{ History []estate.HistoryRecord }
	e.do(t, "viewer", "GET", "/api/v1/workspaces/quickstart/history?limit=50", "").want(t, 200).decode(t, &hist)
	if !slices.ContainsFunc(hist.History, func(h estate.HistoryRecord) bool { return h.RunID == run.ID && h.Who == "operator" }) {
		t.Errorf("history of quickstart has no record of run %s by operator: %+v", run.ID, hist.History)
	}

	e.do(t, "operator", "POST", "/api/v1/workspaces/quickstart/refresh", "").want(t, 200).decode(t, &ws)
	if ws.VMs != 5 {
		t.Errorf("after refresh quickstart has %d VMs, want 5", ws.VMs)
	}
	checkListing(t, e)

	var vm estate.VM
	e.do(t, "viewer", "GET", vmPath("quickstart:fleet.web[0]"), "").want(t, 200).decode(t, &vm)
	if vm.ID != "quickstart:fleet.web[0]" || vm.Name != "web-0" || !strings.Contains(vm.ManagedBy, "main.nova.hcl") {
		t.Errorf("GET fleet.web[0]: %+v", vm)
	}
	e.do(t, "viewer", "GET", vmPath("quickstart:fleet.web[9]"), "").wantError(t, 404, "not_found")

	// A VM a spec owns is the spec's to delete: 409 naming it.
	body := e.do(t, "admin", "DELETE", vmPath("quickstart:vm.db-01"), "").wantError(t, 409, "conflict")
	if !strings.Contains(body.Error.Message, "main.nova.hcl") {
		t.Errorf("deleting a spec's VM: %q does not name the spec", body.Error.Message)
	}

	// A power action or a migration is the spec's unless it allows it:
	// a restart of a VM it wants running is fine, a stop of one it wants
	// running or a move off the host it pins is not.
	for _, a := range []struct{ path, body string }{
		{vmPath("quickstart:fleet.web[0]", "stop"), ""},
		{vmPath("quickstart:vm.db-01", "migrate"), `{"target_host":"hv-02"}`},
	} {
		body := e.do(t, "operator", "POST", a.path, a.body).wantError(t, 409, "conflict")
		if !strings.Contains(body.Error.Message, "main.nova.hcl") {
			t.Errorf("POST %s: %q does not name the spec", a.path, body.Error.Message)
		}
	}
	var restart estate.Run
	e.do(t, "operator", "POST", vmPath("quickstart:fleet.web[1]", "restart"), "").want(t, 202).decode(t, &restart)
	e.waitRun(t, "operator", restart)

	apiVMLifecycle(t, e)

	// Logging out ends the token.
	e.do(t, "viewer", "POST", "/api/v1/auth/logout", "").want(t, 204)
	e.do(t, "viewer", "GET", "/api/v1/workspaces", "").wantError(t, 401, "unauthorized")
	e.do(t, "", "GET", "/api/v1/openapi.json", "").want(t, 200)
	checkAudit(t, e, run)
}

func wsNames(ws []estate.WorkspaceInfo) []string {
	var out []string
	for _, w := range ws {
		out = append(out, w.Name)
	}
	return out
}

// checkListing lists the quickstart's VMs with filters and pages.
func checkListing(t *testing.T, e *testEnv) {
	t.Helper()
	var page struct {
		VMs                  []estate.VM
		Total, Limit, Offset int
	}
	e.do(t, "viewer", "GET", "/api/v1/vms?workspace=quickstart&status=running", "").want(t, 200).decode(t, &page)
	if page.Total != 5 || len(page.VMs) != 5 {
		t.Errorf("running VMs of quickstart: %d of %d, want 5", len(page.VMs), page.Total)
	}
	e.do(t, "viewer", "GET", "/api/v1/vms?workspace=quickstart&limit=2&offset=1", "").want(t, 200).decode(t, &page)
	if page.Total != 5 || len(page.VMs) != 2 || page.Limit != 2 || page.Offset != 1 {
		t.Errorf("page 2..3 of quickstart: %d VMs of %d (limit %d offset %d)", len(page.VMs), page.Total, page.Limit, page.Offset)
	}
	e.do(t, "viewer", "GET", "/api/v1/vms?fleet=fleet.web&status=stopped", "").want(t, 200).decode(t, &page)
	if page.Total != 0 {
		t.Errorf("stopped web VMs: %d, want none", page.Total)
	}
	e.do(t, "viewer", "GET", "/api/v1/vms?fleet=fleet.web", "").want(t, 200).decode(t, &page)
	if page.Total != 4 {
		t.Errorf("web VMs the viewer sees: %d, want 4", page.Total)
	}
	e.do(t, "stranger", "GET", "/api/v1/vms", "").want(t, 200).decode(t, &page)
	if page.Total != 0 {
		t.Errorf("a user without a role on quickstart lists %d VMs", page.Total)
	}
}

// apiVMLifecycle creates a VM in the API-owned workspace, stops, starts,
// restarts and migrates it, then deletes it: each a run that succeeds.
func apiVMLifecycle(t *testing.T, e *testEnv) {
	t.Helper()
	var run estate.Run
	e.do(t, "operator", "POST", "/api/v1/vms", `{"name":"api-1","provider":"sim.lab","template":"ubuntu-22.04","cpu":1,"memory_gb":1,"disk_gb":10,"host":"hv-01"}`).
		want(t, 202).decode(t, &run)
	run = e.waitRun(t, "operator", run)
	if run.Workspace != "apivms" || run.Who != "operator" {
		t.Errorf("create run: %+v", run)
	}
	id := "apivms:vm.api-1"
	var vm estate.VM
	e.do(t, "viewer", "GET", vmPath(id), "").want(t, 200).decode(t, &vm)
	if vm.Host != "hv-01" || vm.Power != "running" || vm.ManagedBy != "api" {
		t.Errorf("the API's VM: %+v", vm)
	}
	for _, step := range []struct{ action, body, power, host string }{
		{"stop", "", "stopped", "hv-01"},
		{"start", "{}", "running", "hv-01"},
		{"restart", "", "running", "hv-01"},
		{"migrate", `{"target_host":"hv-02","live":true}`, "running", "hv-02"},
	} {
		e.do(t, "operator", "POST", vmPath(id, step.action), step.body).want(t, 202).decode(t, &run)
		e.waitRun(t, "operator", run)
		e.do(t, "viewer", "GET", vmPath(id), "").want(t, 200).decode(t, &vm)
		if vm.Power != step.power || vm.Host != step.host {
			t.Errorf("after %s: power %s on %s, want %s on %s", step.action, vm.Power, vm.Host, step.power, step.host)
		}
	}
	e.do(t, "operator", "DELETE", vmPath(id), "").want(t, 202).decode(t, &run)
	e.waitRun(t, "operator", run)
	e.do(t, "viewer", "GET", vmPath(id), "").wantError(t, 404, "not_found")
}

// checkAudit reads the server's audit log: the logins, the plan and the
// apply are there with who and outcome, and no password or token is.
func checkAudit(t *testing.T, e *testEnv, apply estate.Run) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(e.root, filepath.FromSlash(api.AuditFile)))
	if err != nil {
		t.Fatalf("audit log: %v", err)
	}
	text := string(data)
	for _, secret := range append(mapValues(e.tokens), testPassword) {
		if strings.Contains(text, secret) {
			t.Fatalf("the audit log holds a password or a token")
		}
	}
	recs := readAudit(t, data)
	want := []func(api.Record) bool{
		func(r api.Record) bool {
			return r.Route == "POST /api/v1/auth/login" && r.Who == "operator" && r.Status == 200
		},
		func(r api.Record) bool {
			return r.Route == "POST /api/v1/workspaces/{ws}/plans" && r.Who == "operator" && r.Workspace == "quickstart" && r.Status == 201
		},
		func(r api.Record) bool {
			return r.Route == "POST /api/v1/workspaces/{ws}/plans/{id}/apply" && r.RunID == apply.ID && r.Outcome == "accepted"
		},
		func(r api.Record) bool {
			return r.Route == "DELETE /api/v1/vms/{id}" && r.VM == "quickstart:vm.db-01" && r.Status == 409 && r.Outcome == "refused"
		},
		func(r api.Record) bool { return r.Route == "POST /api/v1/auth/logout" && r.Who == "viewer" },
	}
	for i, ok := range want {
		if !slices.ContainsFunc(recs, ok) {
			t.Errorf("audit log: no record #%d expected among\n%s", i, text)
		}
	}
	for _, r := range recs {
		if r.Method == "GET" {
			t.Errorf("audit log records a read: %+v", r)
		}
	}
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func readAudit(t testing.TB, data []byte) []api.Record {
	t.Helper()
	var out []api.Record
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var r api.Record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("audit log line %q: %v", line, err)
		}
		out = append(out, r)
	}
	return out
}

// TestHealth: /health needs no credential, and is a 503 once a
// workspace's folder is gone.
func TestHealth(t *testing.T) {
	e := newEnv(t)
	r := e.do(t, "", "GET", "/health", "").want(t, 200)
	if string(r.body) != "{\"status\":\"ok\"}\n" {
		t.Errorf("/health: %q", r.body)
	}
	if err := os.RemoveAll(filepath.Join(e.root, "quickstart")); err != nil {
		t.Fatal(err)
	}
	r = e.do(t, "", "GET", "/health", "").want(t, 503)
	if string(r.body) != "{\"status\":\"unavailable\"}\n" {
		t.Errorf("/health with a workspace gone: %q", r.body)
	}
}
