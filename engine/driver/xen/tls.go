package xen

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"

	"github.com/novacron/novacron/engine/driver"
)

// openError says what a failed login means for the settings.
func openError(err error, cfg config) error {
	var ae *apiError
	switch {
	case isCertificateError(err):
		how := "set ca_file to the PEM file of the CA that signed it (XenServer's own certificate is self-signed: " +
			"copy /etc/xensource/xapi-ssl.pem's certificate part, or the pool's CA), or insecure = true to skip verification in a test set-up"
		if cfg.caFile != "" {
			how = fmt.Sprintf("ca_file %s does not hold the CA that signed it: set ca_file to that CA's PEM file", cfg.caFile)
		}
		if os.Getenv(EnvName(settingInsecure)) != "" {
			how += " (" + EnvName(settingInsecure) + " is not read: insecure is taken only where it is written)"
		}
		return driver.Errorf(driver.KindPermanent, "cannot verify the TLS certificate of the pool master %s: %v; %s", cfg.url, certificateReason(err), how)
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

// isCertificateError reports a server certificate that could not be
// verified.
func isCertificateError(err error) bool {
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	return errors.As(err, &unknown) || errors.As(err, &host) || errors.As(err, &invalid) || errors.As(err, &verify)
}

// certificateReason is the verification error without the URL wrapping.
func certificateReason(err error) error {
	var verify *tls.CertificateVerificationError
	if errors.As(err, &verify) {
		return verify.Err
	}
	return err
}
