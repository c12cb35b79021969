package api

import "net/http"

// Route is one route of the API: what OpenAPI documents and the mux
// serves (a test holds the two to each other).
type Route struct {
	Method, Path string
	// Query names the query parameters the route takes; any other is
	// refused with a 400.
	Query []string
	// Public routes need no authentication.
	Public bool
	handle func(w http.ResponseWriter, r *http.Request, c *call)
}

// Routes lists the API's routes.
func (a *API) Routes() []Route { return a.routes() }

func (a *API) routes() []Route {
	vmFilter := []string{"status", "workspace", "provider", "host", "fleet", "limit", "offset"}
	return []Route{
		{Method: "POST", Path: "/api/v1/auth/login", Public: true, handle: a.login},
		{Method: "POST", Path: "/api/v1/auth/logout", Public: true, handle: a.logout},
		{Method: "GET", Path: "/api/v1/openapi.json", Public: true, handle: serveOpenAPI},
		{Method: "GET", Path: "/api/v1/workspaces", handle: a.listWorkspaces},
		{Method: "GET", Path: "/api/v1/workspaces/{ws}", handle: a.getWorkspace},
		{Method: "POST", Path: "/api/v1/workspaces/{ws}/refresh", handle: a.refresh},
		{Method: "POST", Path: "/api/v1/workspaces/{ws}/plans", handle: a.plan},
		{Method: "GET", Path: "/api/v1/workspaces/{ws}/plans/{id}", handle: a.getPlan},
		{Method: "POST", Path: "/api/v1/workspaces/{ws}/plans/{id}/apply", handle: a.apply},
		{Method: "GET", Path: "/api/v1/workspaces/{ws}/runs", Query: []string{"limit", "offset"}, handle: a.listRuns},
		{Method: "GET", Path: "/api/v1/workspaces/{ws}/history", Query: []string{"limit"}, handle: a.history},
		{Method: "GET", Path: "/api/v1/vms", Query: vmFilter, handle: a.listVMs},
		{Method: "POST", Path: "/api/v1/vms", handle: a.createVM},
		{Method: "GET", Path: "/api/v1/vms/{id}", handle: a.getVM},
		{Method: "DELETE", Path: "/api/v1/vms/{id}", handle: a.deleteVM},
		{Method: "POST", Path: "/api/v1/vms/{id}/start", handle: a.power("start")},
		{Method: "POST", Path: "/api/v1/vms/{id}/stop", handle: a.power("stop")},
		{Method: "POST", Path: "/api/v1/vms/{id}/restart", handle: a.power("restart")},
		{Method: "POST", Path: "/api/v1/vms/{id}/migrate", handle: a.migrate},
		{Method: "GET", Path: "/api/v1/runs/{id}", Query: []string{"wait"}, handle: a.getRun},
	}
}
