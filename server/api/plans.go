package api

import (
	"net/http"
	"net/url"

	"github.com/novacron/novacron/server/auth"
	"github.com/novacron/novacron/server/estate"
)

// POST /api/v1/workspaces/{ws}/plans: plan the workspace (its own folder,
// or the spec files in the body) and keep the plan for apply.
func (a *API) plan(w http.ResponseWriter, r *http.Request, c *call) {
	name, ok := a.workspace(w, r, c, auth.Plan)
	if !ok {
		return
	}
	var req estate.PlanRequest
	if !decode(w, r, &req, maxPlanBody, true) {
		return
	}
	sp, err := a.c.Estate.Plan(r.Context(), name, c.p.Name, req)
	if err != nil {
		a.fail(w, r, c, err, "workspace")
		return
	}
	c.rec.PlanID = sp.ID
	w.Header().Set("Location", "/api/v1/workspaces/"+url.PathEscape(name)+"/plans/"+url.PathEscape(sp.ID))
	writeJSON(w, http.StatusCreated, sp)
}

// GET /api/v1/workspaces/{ws}/plans/{id}
func (a *API) getPlan(w http.ResponseWriter, r *http.Request, c *call) {
	name, ok := a.workspace(w, r, c, auth.Read)
	if !ok {
		return
	}
	sp, err := a.c.Estate.GetPlan(r.Context(), name, r.PathValue("id"))
	if err != nil {
		a.fail(w, r, c, err, "plan")
		return
	}
	writeJSON(w, http.StatusOK, sp)
}

// applyRequest is the body of an apply: the digest of the plan shown.
type applyRequest struct {
	Digest string `json:"digest"`
}

// POST /api/v1/workspaces/{ws}/plans/{id}/apply {"digest"}: start
// applying a kept plan.
func (a *API) apply(w http.ResponseWriter, r *http.Request, c *call) {
	name, ok := a.workspace(w, r, c, auth.Apply)
	if !ok {
		return
	}
	var req applyRequest
	if !decode(w, r, &req, maxBody, false) {
		return
	}
	if req.Digest == "" {
		badRequest(w, r, `field "digest" is required: the digest of the plan being applied, as the plan's JSON gives it`, nil)
		return
	}
	c.rec.PlanID = clip(r.PathValue("id"))
	run, err := a.c.Estate.Apply(r.Context(), name, r.PathValue("id"), req.Digest, c.p.Name)
	if err != nil {
		a.fail(w, r, c, err, "plan")
		return
	}
	accepted(w, c, run)
}

// accepted answers a started run: 202, its URL, the run.
func accepted(w http.ResponseWriter, c *call, run *estate.Run) {
	c.rec.RunID = run.ID
	if c.rec.Workspace == "" {
		c.rec.Workspace = run.Workspace
	}
	w.Header().Set("Location", "/api/v1/runs/"+url.PathEscape(run.ID))
	writeJSON(w, http.StatusAccepted, run)
}

// GET /api/v1/runs/{id}?wait=30s: a run, after waiting up to wait for it
// to finish. A run of a workspace the caller may not read is "not found",
// as one that does not exist: the id alone says nothing of either.
func (a *API) getRun(w http.ResponseWriter, r *http.Request, c *call) {
	wait, err := waitParam(c.q)
	if err != nil {
		badRequest(w, r, err.Error(), nil)
		return
	}
	id := r.PathValue("id")
	run, err := a.c.Estate.GetRun(r.Context(), id, 0)
	if err == nil && !c.p.Can(auth.Read, run.Workspace) {
		err = estate.ErrNotFound
	}
	if err == nil && wait > 0 {
		run, err = a.c.Estate.GetRun(r.Context(), id, wait)
	}
	if err != nil {
		a.fail(w, r, c, err, "run")
		return
	}
	writeJSON(w, http.StatusOK, run)
}
