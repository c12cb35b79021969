package xen

import (
	"errors"
	"fmt"

	"github.com/novacron/novacron/engine/driver"
)

// openError says what a failed login means for the settings.
func openError(err error, cfg config) error {
	var ae *apiError
	switch {
	case driver.IsCertificateError(err):
		return driver.UntrustedCertificate(err, "the pool master "+cfg.url.String(), cfg.caFile,
			"set ca_file to the PEM file of the CA that signed it (XenServer's own certificate is self-signed: "+
				"copy /etc/xensource/xapi-ssl.pem's certificate part, or the pool's CA), or insecure = true to skip verification in a test set-up",
			EnvName(settingInsecure))
	case errors.As(err, &ae) && ae.Code == "SESSION_AUTHENTICATION_FAILED":
		return driver.Errorf(driver.KindPermanent,
			"the pool master %s refused the login of user %q (SESSION_AUTHENTICATION_FAILED): check username and password (or %s and %s)",
			cfg.url, cfg.username, EnvName(settingUsername), EnvName(settingPassword))
	case errors.As(err, &ae) && ae.Code == "HOST_IS_SLAVE":
		master := "(not given)"
		if len(ae.Params) > 0 {
			master = ae.Params[0]
		}
		return driver.Errorf(driver.KindPermanent,
			"url %s is a member of its pool, not the pool master (HOST_IS_SLAVE): the master is at %s; set url = \"https://%s\"",
			cfg.url, master, master)
	case errors.As(err, &ae):
		return fail(err, "logging in to the pool master %s as %q", cfg.url, cfg.username)
	}
	return driver.Wrap(kindOf(err), fmt.Errorf("cannot reach the pool master %s: %v; check url", cfg.url, err))
}
