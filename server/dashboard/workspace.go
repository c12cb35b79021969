package dashboard

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

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
	filter, bad := vmFilter(r.URL.RawQuery, name)
	if bad != "" {
		d.badRequest(w, p, bad)
		return
	}
	v := workspaceView{WS: ws, Filter: filter, CanPlan: p.Can(auth.Plan, name)}
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

// vmFilters are the query parameters of the VM table.
var vmFilters = []string{"status", "fleet", "provider", "host", "offset"}

// vmFilter reads the VM table's filters from the raw query, as strictly
// as the API reads GET /api/v1/vms's: a parameter the page does not take,
// one given twice, or an offset that is not a whole number is an error
// (a bad status is the estate's to refuse). bad says what is wrong, for
// the 400 page; "" when nothing is.
func vmFilter(raw, ws string) (f estate.Filter, bad string) {
	q, err := url.ParseQuery(raw)
	if err != nil {
		return f, "The address's query is malformed."
	}
	for k, vs := range q {
		if !slices.Contains(vmFilters, k) {
			return f, fmt.Sprintf("This page has no filter %q: it filters by %s.", k, strings.Join(vmFilters, ", "))
		}
		if len(vs) > 1 {
			return f, fmt.Sprintf("The filter %q is given more than once.", k)
		}
	}
	off := 0
	if s := q.Get("offset"); s != "" {
		if off, err = strconv.Atoi(s); err != nil || off < 0 {
			return f, "The offset must be a whole number, 0 or more."
		}
	}
	return estate.Filter{
		Workspace: ws, Status: q.Get("status"), Provider: q.Get("provider"),
		Host: q.Get("host"), Fleet: q.Get("fleet"), Limit: vmsPerPage, Offset: off,
	}, ""
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
