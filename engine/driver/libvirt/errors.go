package libvirt

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	lv "github.com/digitalocean/go-libvirt"

	"github.com/novacron/novacron/engine/driver"
)

// classify maps an error from libvirt or the connection to a driver kind.
func classify(err error) driver.Kind {
	var de *driver.Error
	if errors.As(err, &de) {
		return de.Kind
	}
	var le lv.Error
	if errors.As(err, &le) {
		return classifyLibvirt(le)
	}
	if isConnectionError(err) {
		return driver.KindTransient
	}
	return driver.KindPermanent
}

// classifyLibvirt maps a libvirt error by its code, then by its message for
// the conditions libvirt reports under a generic code.
func classifyLibvirt(e lv.Error) driver.Kind {
	switch lv.ErrorNumber(e.Code) {
	case lv.ErrNoDomain:
		return driver.KindNotFound
	case lv.ErrOperationTimeout, lv.ErrAgentUnresponsive, lv.ErrResourceBusy, lv.ErrRPC, lv.ErrNoConnect:
		return driver.KindTransient
	case lv.ErrNoMemory:
		return driver.KindCapacity
	}
	msg := strings.ToLower(e.Message)
	for _, s := range []string{"cannot allocate memory", "no space left on device", "not enough space", "not enough free space", "out of memory"} {
		if strings.Contains(msg, s) {
			return driver.KindCapacity
		}
	}
	for _, s := range []string{"timed out", "cannot acquire state change lock", "resource busy", "connection reset"} {
		if strings.Contains(msg, s) {
			return driver.KindTransient
		}
	}
	return driver.KindPermanent
}

// isConnectionError reports a dropped or refused connection.
func isConnectionError(err error) bool {
	var ne net.Error
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, lv.ErrInterrupted) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ENOENT) || errors.Is(err, net.ErrClosed) || errors.As(err, &ne)
}

// isAuthError reports a refusal to authenticate: retrying will not help.
func isAuthError(err error) bool {
	var le lv.Error
	if errors.As(err, &le) {
		switch lv.ErrorNumber(le.Code) {
		case lv.ErrAuthFailed, lv.ErrAuthUnavailable, lv.ErrAuthCancelled, lv.ErrAccessDenied:
			return true
		}
	}
	return errors.Is(err, syscall.EACCES) || strings.Contains(err.Error(), "certificate")
}

// hasCode reports whether err is a libvirt error with the code.
func hasCode(err error, code lv.ErrorNumber) bool {
	var le lv.Error
	return errors.As(err, &le) && lv.ErrorNumber(le.Code) == code
}

// fail classifies err and prefixes what was being done, for the user:
// fail(err, "starting VM %q on host %s", name, h).
func fail(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return driver.Wrap(classify(err), fmt.Errorf(format+": %w", append(args, err)...))
}

// notFound is the error for a VM ID no host knows.
func notFound(provider, id string) error {
	return driver.Errorf(driver.KindNotFound, "VM %s not found on libvirt provider %q", id, provider)
}
