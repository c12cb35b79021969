package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/novacron/novacron/server/auth"
	"github.com/novacron/novacron/server/estate"
)

// vmListing is the answer of GET /api/v1/vms.
type vmListing struct {
	VMs    []estate.VM `json:"vms"`
	Total  int         `json:"total"`
	Limit  int         `json:"limit"`
	Offset int         `json:"offset"`
}

// GET /api/v1/vms?status=&workspace=&provider=&host=&fleet=&limit=&offset=
// lists the VMs of the workspaces the caller may read.
func (a *API) listVMs(w http.ResponseWriter, r *http.Request, c *call) {
	f, ok := vmFilter(w, r, c)
	if !ok {
		return
	}
	var list vmListing
	var err error
	switch {
	case f.Workspace != "" && !c.p.Can(auth.Read, f.Workspace):
		forbidden(w, r)
		return
	case f.Workspace != "" || c.p.Can(auth.Read, ""):
		list.VMs, list.Total, err = a.c.Estate.VMs(r.Context(), f)
	default:
		list, err = a.readableVMs(r, c, f)
	}
	if err != nil {
		a.fail(w, r, c, err, "workspace")
		return
	}
	if list.VMs == nil {
		list.VMs = []estate.VM{}
	}
	list.Limit, list.Offset = f.Limit, f.Offset
	writeJSON(w, http.StatusOK, list)
}

// vmFilter reads the query of GET /api/v1/vms.
func vmFilter(w http.ResponseWriter, r *http.Request, c *call) (estate.Filter, bool) {
	status, err := statusParam(c.q)
	if err != nil {
		badRequest(w, r, err.Error(), nil)
		return estate.Filter{}, false
	}
	limit, offset, ok := page(w, r, c)
	if !ok {
		return estate.Filter{}, false
	}
	f := estate.Filter{Workspace: c.q.Get("workspace"), Provider: c.q.Get("provider"), Host: c.q.Get("host"),
		Status: status, Fleet: c.q.Get("fleet"), Limit: limit, Offset: offset}
	if _, given := c.q["workspace"]; given {
		if err := checkName(f.Workspace); err != nil {
			badRequest(w, r, err.Error(), nil)
			return estate.Filter{}, false
		}
	}
	return f, true
}

// readableVMs pages through the VMs of each workspace the caller may
// read, in the order of their names, for a caller without a role on all.
func (a *API) readableVMs(r *http.Request, c *call, f estate.Filter) (vmListing, error) {
	all, err := a.c.Estate.Workspaces(r.Context())
	if err != nil {
		return vmListing{}, err
	}
	slices.SortFunc(all, func(x, y estate.WorkspaceInfo) int { return strings.Compare(x.Name, y.Name) })
	var out vmListing
	skip, want := f.Offset, f.Limit
	for _, ws := range all {
		if !c.p.Can(auth.Read, ws.Name) {
			continue
		}
		g := f
		g.Workspace, g.Offset, g.Limit = ws.Name, skip, max(want, 1)
		vms, n, err := a.c.Estate.VMs(r.Context(), g)
		if err != nil {
			return vmListing{}, err
		}
		out.Total += n
		if want > 0 {
			vms = vms[:min(len(vms), want)]
			out.VMs = append(out.VMs, vms...)
			want -= len(vms)
		}
		skip = max(0, skip-n)
	}
	return out, nil
}

// vm reads the route's {id} and checks that the caller has perm on its
// workspace; it has answered when it returns false.
func (a *API) vm(w http.ResponseWriter, r *http.Request, c *call, perm auth.Permission) (string, bool) {
	id := r.PathValue("id")
	ws, err := splitVMID(id)
	if err != nil {
		badRequest(w, r, err.Error(), nil)
		return "", false
	}
	c.rec.Workspace, c.rec.VM = clip(ws), clip(id)
	if !c.p.Can(perm, ws) {
		forbidden(w, r)
		return "", false
	}
	return id, true
}

// GET /api/v1/vms/{id}
func (a *API) getVM(w http.ResponseWriter, r *http.Request, c *call) {
	id, ok := a.vm(w, r, c, auth.Read)
	if !ok {
		return
	}
	vm, err := a.c.Estate.GetVM(r.Context(), id)
	if err != nil {
		a.fail(w, r, c, err, "VM")
		return
	}
	writeJSON(w, http.StatusOK, vm)
}

// canAnywhere reports whether p has perm on some workspace.
func canAnywhere(p *auth.Principal, perm auth.Permission) bool {
	if p == nil {
		return false
	}
	for ws := range p.Roles {
		if p.Can(perm, ws) {
			return true
		}
	}
	return false
}

// POST /api/v1/vms: add a VM to the API-owned workspace.
func (a *API) createVM(w http.ResponseWriter, r *http.Request, c *call) {
	c.rec.Workspace = a.c.APIWorkspace
	if a.c.APIWorkspace == "" {
		// Only one who could create VMs somewhere learns how the
		// server is configured.
		if !canAnywhere(c.p, auth.Create) {
			forbidden(w, r)
			return
		}
		writeError(w, r, http.StatusConflict, "conflict", "the server has no API-owned workspace: start it with -api-workspace NAME to create VMs through the API", nil)
		return
	}
	if !c.p.Can(auth.Create, a.c.APIWorkspace) {
		forbidden(w, r)
		return
	}
	var req estate.VMRequest
	if !decode(w, r, &req, maxBody, false) {
		return
	}
	c.rec.VM = clip(req.Name)
	run, err := a.c.Estate.CreateVM(r.Context(), c.p.Name, req)
	if err != nil {
		a.fail(w, r, c, err, "VM")
		return
	}
	accepted(w, c, run)
}

// DELETE /api/v1/vms/{id}: delete a VM of the API-owned workspace.
func (a *API) deleteVM(w http.ResponseWriter, r *http.Request, c *call) {
	id, ok := a.vm(w, r, c, auth.Create)
	if !ok || !decode(w, r, &struct{}{}, maxBody, true) {
		return
	}
	run, err := a.c.Estate.DeleteVM(r.Context(), c.p.Name, id)
	if err != nil {
		a.fail(w, r, c, err, "VM")
		return
	}
	accepted(w, c, run)
}

// POST /api/v1/vms/{id}/start|stop|restart
func (a *API) power(action string) func(http.ResponseWriter, *http.Request, *call) {
	return func(w http.ResponseWriter, r *http.Request, c *call) {
		id, ok := a.vm(w, r, c, auth.Power)
		if !ok || !decode(w, r, &struct{}{}, maxBody, true) {
			return
		}
		a.act(w, r, c, id, estate.ActionRequest{Action: action})
	}
}

// POST /api/v1/vms/{id}/migrate {"target_host","live"}
func (a *API) migrate(w http.ResponseWriter, r *http.Request, c *call) {
	id, ok := a.vm(w, r, c, auth.Migrate)
	if !ok {
		return
	}
	req := estate.ActionRequest{Action: "migrate"}
	if !decode(w, r, &req, maxBody, false) {
		return
	}
	if req.TargetHost == "" {
		badRequest(w, r, `field "target_host" is required: the host to move the VM to`, nil)
		return
	}
	a.act(w, r, c, id, req)
}

func (a *API) act(w http.ResponseWriter, r *http.Request, c *call, id string, req estate.ActionRequest) {
	run, err := a.c.Estate.Act(r.Context(), c.p.Name, id, req)
	if err != nil {
		a.fail(w, r, c, err, "VM")
		return
	}
	accepted(w, c, run)
}
