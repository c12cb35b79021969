package api

import (
	"log/slog"
	"net/http"

	"github.com/novacron/novacron/server/auth"
	"github.com/novacron/novacron/server/estate"
)

// Config is what the API serves and how.
type Config struct {
	Estate *estate.Estate
	Auth   auth.Authenticator
	// Audit receives a record of every request that could change
	// something; nil keeps none (tests of reads only).
	Audit *Audit
	// Log receives the details of failures the client only sees as a
	// generic 500; nil discards them.
	Log *slog.Logger
	// APIWorkspace names the workspace whose VMs POST /api/v1/vms
	// creates (estate.Options.APIWorkspace); "" allows none.
	APIWorkspace string
	// SecureCookie marks the session cookie Secure (served over TLS).
	SecureCookie bool
}

// API is the REST API's handlers. It holds no state of its own beyond
// its configuration.
type API struct {
	c Config
}

// New returns the API over c.Estate.
func New(c Config) *API {
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	return &API{c: c}
}

// Mux is where routes are registered: an *http.ServeMux.
type Mux interface {
	Handle(pattern string, h http.Handler)
}

// Register adds the API's routes to mux: each route of Routes on its
// method and path, a JSON 405 for the other methods of those paths, and
// a JSON 404 for any other path under /api/v1/.
func (a *API) Register(mux Mux) {
	paths := map[string][]string{}
	var order []string
	for _, rt := range a.routes() {
		mux.Handle(rt.Method+" "+rt.Path, a.wrap(rt))
		if paths[rt.Path] == nil {
			order = append(order, rt.Path)
		}
		paths[rt.Path] = append(paths[rt.Path], rt.Method)
	}
	for _, p := range order {
		mux.Handle(p, methodNotAllowed(paths[p]))
	}
	mux.Handle("/api/v1/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, http.StatusNotFound, "not_found", "no such API route: see /api/v1/openapi.json", nil)
	}))
}
