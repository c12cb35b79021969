package vsphere

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/fault"
	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/novacron/novacron/engine/driver"
)

// idleConns is how many connections to vCenter are kept open between
// calls: as many as the executor runs at once, so that parallel actions
// do not pay a TLS handshake each (http.Transport keeps 2 by default).
const idleConns = 64

// connect opens a session on vCenter: TLS verified against the system's
// CAs or ca_file unless insecure is set, then a login as user. Each
// failure names the setting that fixes it.
func connect(ctx context.Context, cfg config) (*govmomi.Client, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.connectTimeout)
	defer cancel()
	sc := soap.NewClient(cfg.url, cfg.insecure)
	sc.DefaultTransport().MaxIdleConnsPerHost = idleConns
	if cfg.caFile != "" {
		if err := sc.SetRootCAs(cfg.caFile); err != nil {
			return nil, driver.Errorf(driver.KindPermanent, "ca_file %s cannot be used: %v; it must be a PEM file of the CA that signed vCenter's certificate", cfg.caFile, err)
		}
	}
	vc, err := vim25.NewClient(ctx, sc)
	if err != nil {
		return nil, connectError(err, cfg)
	}
	c := &govmomi.Client{Client: vc, SessionManager: session.NewManager(vc)}
	if err := c.Login(ctx, url.UserPassword(cfg.user, cfg.password)); err != nil {
		return nil, loginError(err, cfg)
	}
	return c, nil
}

// connectError explains why vCenter could not be reached.
func connectError(err error, cfg config) error {
	if driver.IsCertificateError(err) {
		return driver.UntrustedCertificate(err, "vCenter "+cfg.url.String(), cfg.caFile,
			"set ca_file to the PEM file of the CA that signed it (or "+EnvName(settingCAFile)+"), or insecure = true to skip verification in a test set-up",
			EnvName(settingInsecure))
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return driver.Errorf(driver.KindTransient, "cannot connect to vCenter %s: no answer within connect_timeout (%s); check url", cfg.url, cfg.connectTimeout)
	}
	return driver.Wrap(classify(err), fmt.Errorf("cannot connect to vCenter %s: %v; check url", cfg.url, err))
}

// loginError explains a refused login without showing the password.
func loginError(err error, cfg config) error {
	if fault.Is(err, &types.InvalidLogin{}) || fault.Is(err, &types.NotAuthenticated{}) {
		return driver.Errorf(driver.KindPermanent,
			"login refused by vCenter %s: user %q or its password is wrong; check user and password (or %s and %s)",
			cfg.url, cfg.user, EnvName(settingUser), EnvName(settingPassword))
	}
	return fail(err, "logging in to vCenter %s as user %q", cfg.url, cfg.user)
}
