package driver

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
)

// IsCertificateError reports a server certificate that could not be
// verified.
func IsCertificateError(err error) bool {
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	return errors.As(err, &unknown) || errors.As(err, &host) || errors.As(err, &invalid) || errors.As(err, &verify)
}

// CertificateReason is the verification error without the URL wrapping.
func CertificateReason(err error) error {
	var verify *tls.CertificateVerificationError
	if errors.As(err, &verify) {
		return verify.Err
	}
	return err
}

// UntrustedCertificate is the permanent error for a certificate error of
// server ("vCenter https://…"): "cannot verify the TLS certificate of
// SERVER: REASON; HOW". HOW is advice where no ca_file is set, else that
// caFile does not hold the CA; where the environment sets insecureEnv, it
// adds that the variable is not read (insecure is taken only where it is
// written).
func UntrustedCertificate(err error, server, caFile, advice, insecureEnv string) error {
	how := advice
	if caFile != "" {
		how = fmt.Sprintf("ca_file %s does not hold the CA that signed it: set ca_file to that CA's PEM file", caFile)
	}
	if os.Getenv(insecureEnv) != "" {
		how += " (" + insecureEnv + " is not read: insecure is taken only where it is written)"
	}
	return Errorf(KindPermanent, "cannot verify the TLS certificate of %s: %v; %s", server, CertificateReason(err), how)
}
