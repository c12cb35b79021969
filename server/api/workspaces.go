package api

import (
	"net/http"

	"github.com/novacron/novacron/server/auth"
	"github.com/novacron/novacron/server/estate"
)

// workspace reads the route's {ws} and checks that the caller has perm on
// it (before anything else, so a workspace the caller may not read is a
// 403 whether it exists or not); it has answered when it returns false.
func (a *API) workspace(w http.ResponseWriter, r *http.Request, c *call, perm auth.Permission) (string, bool) {
	name := r.PathValue("ws")
	c.rec.Workspace = clip(name)
	if !c.p.Can(perm, name) {
		forbidden(w, r)
		return "", false
	}
	if err := checkName(name); err != nil {
		badRequest(w, r, err.Error(), nil)
		return "", false
	}
	return name, true
}

// GET /api/v1/workspaces: the workspaces the caller may read.
func (a *API) listWorkspaces(w http.ResponseWriter, r *http.Request, c *call) {
	all, err := a.c.Estate.Workspaces(r.Context())
	if err != nil {
		a.fail(w, r, c, err, "workspace")
		return
	}
	out := []estate.WorkspaceInfo{}
	for _, ws := range all {
		if c.p.Can(auth.Read, ws.Name) {
			out = append(out, ws)
		}
	}
	body := map[string]any{"workspaces": out}
	if c.p.Can(auth.Read, "") { // estate-wide readers see the folders not served, and why
		body["skipped"] = a.c.Estate.Skipped()
	}
	writeJSON(w, http.StatusOK, body)
}

// GET /api/v1/workspaces/{ws}
func (a *API) getWorkspace(w http.ResponseWriter, r *http.Request, c *call) {
	name, ok := a.workspace(w, r, c, auth.Read)
	if !ok {
		return
	}
	ws, err := a.c.Estate.Workspace(r.Context(), name)
	if err != nil {
		a.fail(w, r, c, err, "workspace")
		return
	}
	writeJSON(w, http.StatusOK, ws)
}

// POST /api/v1/workspaces/{ws}/refresh: read the workspace's inventory
// again; it answers with the workspace.
func (a *API) refresh(w http.ResponseWriter, r *http.Request, c *call) {
	name, ok := a.workspace(w, r, c, auth.Plan)
	if !ok || !decode(w, r, &struct{}{}, maxBody, true) {
		return
	}
	if err := a.c.Estate.Refresh(r.Context(), name); err != nil {
		a.fail(w, r, c, err, "workspace")
		return
	}
	a.getWorkspaceAfter(w, r, c, name)
}

func (a *API) getWorkspaceAfter(w http.ResponseWriter, r *http.Request, c *call, name string) {
	ws, err := a.c.Estate.Workspace(r.Context(), name)
	if err != nil {
		a.fail(w, r, c, err, "workspace")
		return
	}
	writeJSON(w, http.StatusOK, ws)
}

// GET /api/v1/workspaces/{ws}/runs?limit=&offset=: newest first.
func (a *API) listRuns(w http.ResponseWriter, r *http.Request, c *call) {
	name, ok := a.workspace(w, r, c, auth.Read)
	if !ok {
		return
	}
	limit, offset, ok := page(w, r, c)
	if !ok {
		return
	}
	runs, err := a.c.Estate.Runs(r.Context(), name)
	if err != nil {
		a.fail(w, r, c, err, "workspace")
		return
	}
	total := len(runs)
	runs = runs[min(offset, total):min(offset+limit, total)]
	if runs == nil {
		runs = []estate.Run{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"runs": runs, "total": total, "limit": limit, "offset": offset})
}

// GET /api/v1/workspaces/{ws}/history?limit=: newest first.
func (a *API) history(w http.ResponseWriter, r *http.Request, c *call) {
	name, ok := a.workspace(w, r, c, auth.Read)
	if !ok {
		return
	}
	limit, err := intParam(c.q, "limit", defaultLimit, 1, maxLimit)
	if err != nil {
		badRequest(w, r, err.Error(), nil)
		return
	}
	recs, err := a.c.Estate.History(r.Context(), name, limit)
	if err != nil {
		a.fail(w, r, c, err, "workspace")
		return
	}
	if recs == nil {
		recs = []estate.HistoryRecord{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"history": recs})
}

// The bounds of ?limit= and ?offset=.
const (
	defaultLimit = 100
	maxLimit     = 1000
	maxOffset    = 1 << 30
)

// page reads ?limit= and ?offset=.
func page(w http.ResponseWriter, r *http.Request, c *call) (limit, offset int, ok bool) {
	limit, err := intParam(c.q, "limit", defaultLimit, 1, maxLimit)
	if err == nil {
		offset, err = intParam(c.q, "offset", 0, 0, maxOffset)
	}
	if err != nil {
		badRequest(w, r, err.Error(), nil)
		return 0, 0, false
	}
	return limit, offset, true
}

// clip bounds what a client named before it goes into the audit log.
func clip(s string) string {
	const most = 200
	if len(s) > most {
		return s[:most] + "…"
	}
	return s
}
