package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"os"

	"github.com/novacron/novacron/server/api"
	"github.com/novacron/novacron/server/auth"
	"github.com/novacron/novacron/server/estate"
	"github.com/novacron/novacron/server/metrics"
)

// Config is what New composes. Estate and Auth are required; the other
// parts are served when set.
type Config struct {
	Estate *estate.Estate
	Auth   auth.Authenticator
	// Audit is the server's audit log (api.OpenAudit); nil keeps none.
	Audit *api.Audit
	// Log receives one line per request and the detail of every failure;
	// nil discards them.
	Log *slog.Logger
	// TLS is set when the server is served over TLS (the session cookie
	// is then Secure).
	TLS          bool
	APIWorkspace string
	// Metrics serves /metrics on the main listener; nil when it has a
	// listener of its own (-metrics-listen) or is not built.
	Metrics http.Handler
	// Live serves /ws/status.
	Live http.Handler
	// Dashboard adds the dashboard's routes (/ and its assets) to mux.
	Dashboard func(mux *http.ServeMux)
	// Instrument wraps the whole handler to count requests by route and
	// code (server/metrics); nil leaves it as it is.
	Instrument func(http.Handler) http.Handler
}

// New returns the server's handler: the API, /health, and whichever of
// the dashboard, /ws/status and /metrics c has, behind authentication,
// request logging and panic recovery.
func New(c Config) http.Handler {
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	mux := http.NewServeMux()
	api.New(api.Config{Estate: c.Estate, Auth: c.Auth, Audit: c.Audit, Log: c.Log,
		APIWorkspace: c.APIWorkspace, SecureCookie: c.TLS}).Register(mux)
	mux.Handle("GET /health", health(c.Estate))
	if c.Metrics != nil {
		mux.Handle("GET /metrics", c.Metrics)
	}
	if c.Live != nil {
		mux.Handle("GET /ws/status", c.Live)
	}
	if c.Dashboard != nil {
		c.Dashboard(mux)
	}
	h := metrics.Routes(mux) // the route pattern, for Instrument
	h = api.AuditOthers(c.Audit, c.Log, h)
	h = logRequests(c.Log, h)
	h = api.Authenticate(c.Auth, h)
	h = recoverPanics(c.Log, h)
	if c.Instrument != nil {
		h = c.Instrument(h)
	}
	return securityHeaders(h)
}

// health answers GET /health: {"status":"ok"}, or 503 when the estate
// cannot be read (there is none, or a workspace's folder is gone or
// cannot be read). It needs no authentication and says nothing more.
func health(e *estate.Estate) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status, code := "ok", http.StatusOK
		if err := readable(r.Context(), e); err != nil {
			status, code = "unavailable", http.StatusServiceUnavailable
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(map[string]string{"status": status}) //nolint:errcheck // the client went away
	})
}

// readable checks that the estate's workspaces can be read.
func readable(ctx context.Context, e *estate.Estate) error {
	if e == nil {
		return errors.New("no estate")
	}
	all, err := e.Workspaces(ctx)
	for _, ws := range all {
		if err == nil {
			_, err = os.ReadDir(ws.Dir)
		}
	}
	return err
}
