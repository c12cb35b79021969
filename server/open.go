package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"path/filepath"
	"time"

	"github.com/novacron/novacron/server/api"
	"github.com/novacron/novacron/server/auth"
	"github.com/novacron/novacron/server/dashboard"
	"github.com/novacron/novacron/server/estate"
	"github.com/novacron/novacron/server/live"
	"github.com/novacron/novacron/server/metrics"
)

// Options configure Open.
type Options struct {
	APIWorkspace string
	LockTimeout  time.Duration
	// TLS is set when the server is served over TLS.
	TLS bool
	// MetricsListener is set when /metrics has a listener of its own.
	MetricsListener bool
	Log             *slog.Logger
}

// Instance is an opened server: its handlers, and what Close releases.
type Instance struct {
	// Handler serves everything but, with Options.MetricsListener,
	// /metrics; Metrics serves /metrics.
	Handler, Metrics http.Handler
	Estate           *estate.Estate
	// InitialAdminFile is the file holding the first admin's password
	// when this start made it; "".
	InitialAdminFile string
	audit            *api.Audit
	hub              *live.Hub
	unlock           func() // releases the serve lock
}

// Open takes the serve lock of root (ServeLockFile) for the instance's
// lifetime — one server per folder: two would edit the API file and
// keep runs apart — then opens the estate at root and everything the server serves over it:
// the users (making the first admin on first start), the audit log under
// root/.nova/server, the live hub, the metrics and the dashboard.
func Open(ctx context.Context, root string, o Options) (*Instance, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	unlock, err := holdRoot(root)
	if err != nil {
		return nil, err
	}
	inst, err := open(ctx, root, o)
	if err != nil {
		unlock()
		return nil, err
	}
	unlockWS, err := holdWorkspaces(ctx, root, inst.Estate)
	if err != nil {
		inst.unlock = unlock
		inst.Close()
		return nil, err
	}
	inst.unlock = func() { unlockWS(); unlock() }
	return inst, nil
}

func open(ctx context.Context, root string, o Options) (*Instance, error) {
	authn, initial, err := openAuth(root)
	if err != nil {
		return nil, err
	}
	m := metrics.New()
	hub := live.New(live.Options{Reauth: authn.Authenticate})
	est, err := estate.Open(ctx, root, estate.Options{APIWorkspace: o.APIWorkspace, LockTimeout: o.LockTimeout,
		Events: hub.Publish, Observer: m})
	if err != nil {
		hub.Close()
		return nil, err
	}
	audit, err := api.OpenAudit(filepath.Join(root, filepath.FromSlash(api.AuditFile)))
	if err != nil {
		est.Close()
		hub.Close()
		return nil, err
	}
	inst := &Instance{Estate: est, InitialAdminFile: initial, Metrics: m.Handler(), audit: audit, hub: hub}
	c := Config{Estate: est, Auth: authn, Audit: audit, Log: o.Log, TLS: o.TLS, APIWorkspace: o.APIWorkspace,
		Live: hub, Instrument: m.Middleware,
		Dashboard: dashboard.New(est, dashboard.Options{Auth: authn, SecureCookie: o.TLS, Log: o.Log}).Register}
	if !o.MetricsListener {
		c.Metrics = inst.Metrics
	}
	inst.Handler = New(c)
	return inst, nil
}

// openAuth opens the users of the estate at root, making the first admin
// when there are none.
func openAuth(root string) (auth.Authenticator, string, error) {
	initial, err := auth.InitialAdmin(auth.UsersPath(root))
	if err != nil {
		return nil, "", err
	}
	svc, err := auth.Open(root, auth.Options{})
	if err != nil {
		return nil, "", err
	}
	return svc, initial, nil
}

// Close waits for the runs in flight (whose events still reach the
// WebSocket clients), then closes the estate, the live hub (its clients
// get a normal close) and the audit log.
func (i *Instance) Close() error {
	err := i.Estate.Close()
	i.hub.Close()
	err = errors.Join(err, i.audit.Close())
	i.unlock()
	return err
}
