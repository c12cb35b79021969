package dashboard

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/novacron/novacron/server/auth"
	"github.com/novacron/novacron/server/estate"
)

// Options configure the dashboard.
type Options struct {
	// Auth checks the session cookie of a page request whose context
	// carries no principal yet, and the password of the login form.
	Auth auth.Authenticator
	// SecureCookie marks the session cookie Secure even on a request
	// that did not come over TLS (a TLS-terminating proxy in front).
	SecureCookie bool
	// Log receives what a page could not show (a 500's detail); nil
	// discards it.
	Log *slog.Logger
}

// Dashboard serves the pages. It holds no state of its own: every page
// reads the estate when it is asked for.
type Dashboard struct {
	est *estate.Estate
	o   Options
	t   *templates
}

// New returns the dashboard of est.
func New(est *estate.Estate, o Options) *Dashboard {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Dashboard{est: est, o: o, t: parseTemplates()}
}

// Register adds the dashboard's routes to mux: the pages, the login form
// and the embedded assets under /assets/. The API (/api/v1/) and the
// status stream (/ws/status) are other packages' routes on the same mux.
func (d *Dashboard) Register(mux *http.ServeMux) {
	mux.Handle("GET /assets/", secure(assetHandler()))
	mux.Handle("GET /login", secure(http.HandlerFunc(d.loginPage)))
	mux.Handle("POST /login", secure(http.HandlerFunc(d.login)))
	mux.Handle("POST /logout", secure(http.HandlerFunc(d.logout)))
	d.page(mux, "GET /{$}", d.overview)
	d.page(mux, "GET /workspaces/{ws}", d.workspace)
	d.page(mux, "GET /workspaces/{ws}/history", d.history)
	d.page(mux, "GET /workspaces/{ws}/plans/{id}", d.plan)
	d.page(mux, "GET /runs/{id}", d.run)
}

// Handler returns the dashboard on a mux of its own, for serving it
// alone (the composition in package server uses Register).
func (d *Dashboard) Handler() http.Handler {
	mux := http.NewServeMux()
	d.Register(mux)
	return mux
}

// pageFunc renders one page for an authenticated principal.
type pageFunc func(w http.ResponseWriter, r *http.Request, p *auth.Principal)

// page routes pattern to f behind the security headers and the login:
// a request without a valid session is sent to /login.
func (d *Dashboard) page(mux *http.ServeMux, pattern string, f pageFunc) {
	mux.Handle(pattern, secure(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := d.principal(r)
		if p == nil {
			http.Redirect(w, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		f(w, r, p)
	})))
}

// principal is who the request is: the principal an outer middleware put
// in its context, else the one its session cookie names, else nil.
func (d *Dashboard) principal(r *http.Request) *auth.Principal {
	if p := auth.From(r.Context()); p != nil {
		return p
	}
	if d.o.Auth == nil {
		return nil
	}
	p, err := d.o.Auth.Authenticate(r)
	if err != nil {
		return nil
	}
	return p
}

// fail shows the page for err: 404 for estate.ErrNotFound, 400 with its
// message for an *estate.InvalidError (a bad filter), else a 500 whose
// detail goes to the log only.
func (d *Dashboard) fail(w http.ResponseWriter, r *http.Request, p *auth.Principal, err error) {
	if errors.Is(err, estate.ErrNotFound) {
		d.render(w, http.StatusNotFound, "error", p, "Not found", errorView{Message: "There is no such page."})
		return
	}
	var invalid *estate.InvalidError
	if errors.As(err, &invalid) {
		d.badRequest(w, p, invalid.Message)
		return
	}
	d.o.Log.Error("dashboard page failed", "path", r.URL.Path, "err", err)
	d.render(w, http.StatusInternalServerError, "error", p, "Error", errorView{Message: "The page could not be shown; the server's log says why."})
}

// badRequest shows the 400 page with msg, which says what was wrong.
func (d *Dashboard) badRequest(w http.ResponseWriter, p *auth.Principal, msg string) {
	d.render(w, http.StatusBadRequest, "error", p, "Bad request", errorView{Message: msg})
}

// forbid shows the 403 page, saying nothing of what exists.
func (d *Dashboard) forbid(w http.ResponseWriter, p *auth.Principal) {
	d.render(w, http.StatusForbidden, "error", p, "Forbidden", errorView{Message: "You may not see this page."})
}

type errorView struct{ Message string }
