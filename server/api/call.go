package api

import (
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/novacron/novacron/server/auth"
)

// call is one request to a route: who makes it, and what its audit
// record will say.
type call struct {
	p   *auth.Principal
	q   url.Values
	rec Record
}

// wrap is the chain every route runs through: authentication required
// unless public, the query parameters checked, the CSRF header on
// cookie-authenticated changes, then the handler; requests that may
// change something are audited with their outcome.
func (a *API) wrap(rt Route) http.Handler {
	mutating := rt.Method != http.MethodGet
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &call{p: auth.From(r.Context())}
		c.rec = Record{Method: r.Method, Route: rt.Method + " " + rt.Path, Client: clientAddr(r)}
		if c.p != nil {
			c.rec.Who = c.p.Name
		}
		c.rec.Workspace = clip(r.PathValue("ws")) // for a request refused before its handler
		if id := r.PathValue("id"); strings.HasPrefix(rt.Path, "/api/v1/vms/") {
			ws, _, _ := strings.Cut(id, ":")
			c.rec.Workspace, c.rec.VM = clip(ws), clip(id)
		}
		sw := &statusWriter{ResponseWriter: w}
		if mutating {
			defer func() { a.c.Audit.record(a.c.Log, c.rec, sw.status) }()
		}
		a.serve(rt, sw, r, c)
	})
}

func (a *API) serve(rt Route, w http.ResponseWriter, r *http.Request, c *call) {
	switch {
	case !rt.Public && c.p == nil:
		unauthorized(w, r)
	case rt.Method != http.MethodGet && c.p != nil && c.p.Cookie && r.Header.Get(CSRFHeader) != "1":
		forbidden(w, r)
	default:
		q, err := queryValues(r.URL.RawQuery, rt.Query)
		if err != nil {
			badRequest(w, r, err.Error(), nil)
			return
		}
		c.q = q
		rt.handle(w, r, c)
	}
}

// methodNotAllowed answers the methods a path does not take.
func methodNotAllowed(allowed []string) http.Handler {
	allow := slices.Clone(allowed)
	if slices.Contains(allow, http.MethodGet) {
		allow = append(allow, http.MethodHead)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeError(w, r, http.StatusMethodNotAllowed, "method_not_allowed", r.Method+" is not allowed here; allowed: "+strings.Join(allow, ", "), nil)
	})
}

// clientAddr is the client's IP address (the connection's: no proxy
// header is trusted).
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// statusWriter remembers the status written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// now is the clock of audit records.
var now = time.Now
