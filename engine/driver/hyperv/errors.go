package hyperv

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"html"
	"net"
	"os"
	"strings"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/internal/lazyregexp"
)

func permanent(format string, args ...any) error {
	return driver.Errorf(driver.KindPermanent, format, args...)
}

func transient(format string, args ...any) error {
	return driver.Errorf(driver.KindTransient, format, args...)
}

// wsmanError classifies a failure of WinRM itself (not of a script): the
// credentials refused, TLS, the network, a WS-Management fault.
func (d *Driver) wsmanError(what, last string, err error) error {
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var netErr net.Error
	switch {
	case errors.Is(err, errAuth) || strings.Contains(err.Error(), "401 - invalid content type"):
		return permanent("%s: the host refused the credentials (WinRM authentication failed): check username %s and its password, and auth = %q (the account must be allowed to use WinRM; Basic auth needs a local account and WinRM's Basic enabled)",
			what, d.cfg.username, d.cfg.auth)
	case errors.Is(err, errNoNTLM):
		return permanent(`%s: %v, and auth = "ntlm" never sends the password with Basic: enable Negotiate on the WinRM service, or set auth = "basic" over https`, what, err)
	case errors.As(err, &unknownCA):
		how := "set ca_file to the PEM of the CA that signed the WinRM listener's certificate, or insecure = true in the provider block for a test set-up"
		if _, ok := os.LookupEnv("NOVACRON_HYPERV_INSECURE"); ok {
			how += " (NOVACRON_HYPERV_INSECURE is not read: insecure is taken only where it is written)"
		}
		return permanent("%s: cannot verify the TLS certificate of %s (signed by an unknown authority): %s", what, d.conn.url, how)
	case errors.As(err, &hostname):
		return permanent("%s: the TLS certificate of %s is not valid for that name (%v): use the name the certificate is for in url", what, d.conn.url, err)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return transient("%s: step %s: %v", what, quoteStep(last), err)
	case errors.As(err, &netErr):
		return transient("%s: cannot reach the WinRM endpoint %s: %v (check url)", what, d.conn.url, err)
	}
	return classifyFault(what, err)
}

// faultCode finds a WS-Management fault's subcode (w:QuotaLimit) in an
// "http error 500: BODY" error.
var faultCode = lazyregexp.New(`<[a-zA-Z0-9]+:Subcode>\s*<[a-zA-Z0-9]+:Value>\s*[a-zA-Z0-9]+:([A-Za-z]+)`)

// transientFaults are WS-Management faults worth trying again: too many
// shells or operations for the user (MaxShellsPerUser), a busy service.
var transientFaults = map[string]bool{"QuotaLimit": true, "TimedOut": true, "ConcurrencyLimit": true, "InternalError": false}

func classifyFault(what string, err error) error {
	msg := err.Error()
	code := ""
	if m := faultCode.FindStringSubmatch(msg); m != nil {
		code = m[1]
	}
	switch {
	case transientFaults[code]:
		return transient("%s: the WinRM service is busy (%s): %s", what, code, faultText(msg))
	case strings.HasPrefix(msg, "http error 503"), strings.HasPrefix(msg, "http error 502"):
		return transient("%s: the WinRM service is unavailable: %s", what, faultText(msg))
	case code != "":
		return permanent("%s: WinRM refused the request (%s): %s", what, code, faultText(msg))
	}
	return driver.Wrap(driver.KindPermanent, fmt.Errorf("%s: %w", what, err))
}

var faultTextRe = lazyregexp.New(`<[a-zA-Z0-9]+:Text[^>]*>([^<]*)<`)

// faultText is the human text of a SOAP fault in msg, or msg.
func faultText(msg string) string {
	if m := faultTextRe.FindStringSubmatch(msg); m != nil {
		return html.UnescapeString(strings.TrimSpace(m[1]))
	}
	if len(msg) > 300 {
		return msg[:300] + "…"
	}
	return msg
}

// scriptFailed classifies the PowerShell error a script reported, naming
// the step and the error's FullyQualifiedErrorId.
func scriptFailed(what string, e *scriptError) error {
	msg := fmt.Sprintf("%s: step %s failed: %s [%s, %s]", what, quoteStep(e.Step), strings.TrimSpace(e.Message), e.ID, e.Category)
	lower := strings.ToLower(e.Message)
	switch {
	case strings.Contains(lower, "not enough memory") || strings.Contains(lower, "insufficient system resources") ||
		strings.Contains(lower, "not enough space on the disk"):
		return driver.Errorf(driver.KindCapacity, "%s", msg)
	case e.Category == "ObjectNotFound":
		return driver.Errorf(driver.KindNotFound, "%s", msg)
	case e.Category == "ResourceBusy" || e.Category == "OperationTimeout" || e.Category == "ResourceUnavailable":
		return transient("%s", msg)
	}
	return permanent("%s", msg)
}
