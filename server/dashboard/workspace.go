package dashboard

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/novacron/novacron/server/auth"
	"github.com/novacron/novacron/server/estate"
)

const (
	vmsPerPage     = 100
	runsShown      = 10
	historyShown   = 20
	historyPerPage = 500
)

type workspaceView struct {
	WS       *estate.WorkspaceInfo
	Filter   estate.Filter
	VMs      []estate.VM
	Matching int
	Prev     string // URL of the previous page of VMs, "" on the first
	Next     string // and of the next, "" on the last
	Runs     []estate.Run
	History  []estate.HistoryRecord
	CanPlan  bool
	PlanURL  string // POST: the API's plans of the workspace
	PlanPage string // the plan page, less the plan's id
}

// workspace is /workspaces/{ws}: fleets, VMs with filters, runs and the
// latest history.
func (d *Dashboard) workspace(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	name := r.PathValue("ws")
	if !p.Can(auth.Read, name) {
		d.forbid(w, p)
		return
	}
	ctx := r.Context()
	ws, err := d.est.Workspace(ctx, name)
	if err != nil {
		d.fail(w, r, p, err)
		return
	}
	v := workspaceView{WS: ws, Filter: vmFilter(r.URL.Query(), name), CanPlan: p.Can(auth.Plan, name)}
	esc := url.PathEscape(name)
	v.PlanURL, v.PlanPage = "/api/v1/workspaces/"+esc+"/plans", "/workspaces/"+esc+"/plans/"
	if v.VMs, v.Matching, err = d.est.VMs(ctx, v.Filter); err != nil {
		d.fail(w, r, p, err)
		return
	}
	v.Prev, v.Next = pages(r.URL, v.Filter, v.Matching)
	if v.Runs, err = d.est.Runs(ctx, name); err != nil {
		d.fail(w, r, p, err)
		return
	}
	v.Runs = v.Runs[:min(len(v.Runs), runsShown)]
	if v.History, err = d.est.History(ctx, name, historyShown); err != nil {
		d.fail(w, r, p, err)
		return
	}
	d.render(w, http.StatusOK, "workspace", p, "Workspace "+name, v)
}

// vmFilter reads the VM table's filters from the query; a bad offset is
// the first page.
func vmFilter(q url.Values, ws string) estate.Filter {
	off, err := strconv.Atoi(q.Get("offset"))
	if err != nil || off < 0 {
		off = 0
	}
	return estate.Filter{
		Workspace: ws, Status: q.Get("status"), Provider: q.Get("provider"),
		Host: q.Get("host"), Fleet: q.Get("fleet"), Limit: vmsPerPage, Offset: off,
	}
}

// pages are the URLs of the pages of VMs before and after f's.
func pages(u *url.URL, f estate.Filter, matching int) (prev, next string) {
	at := func(off int) string {
		q := u.Query()
		q.Set("offset", strconv.Itoa(off))
		return u.EscapedPath() + "?" + q.Encode()
	}
	if f.Offset > 0 {
		prev = at(max(0, f.Offset-vmsPerPage))
	}
	if f.Offset+vmsPerPage < matching {
		next = at(f.Offset + vmsPerPage)
	}
	return prev, next
}

type historyView struct {
	WS      string
	History []estate.HistoryRecord
}

// history is /workspaces/{ws}/history: the audit history, newest first.
func (d *Dashboard) history(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	name := r.PathValue("ws")
	if !p.Can(auth.Read, name) {
		d.forbid(w, p)
		return
	}
	if _, err := d.est.Workspace(r.Context(), name); err != nil {
		d.fail(w, r, p, err)
		return
	}
	h, err := d.est.History(r.Context(), name, historyPerPage)
	if err != nil {
		d.fail(w, r, p, err)
		return
	}
	d.render(w, http.StatusOK, "history", p, "History of "+name, historyView{WS: name, History: h})
}
