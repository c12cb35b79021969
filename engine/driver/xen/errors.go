package xen

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"

	"github.com/novacron/novacron/engine/driver"
)

// Kinds of XenAPI error codes; the rest are permanent.
var (
	notFoundCodes = map[string]bool{"HANDLE_INVALID": true, "UUID_INVALID": true}
	capacityCodes = map[string]bool{
		"HOST_NOT_ENOUGH_FREE_MEMORY": true, "HOST_NOT_ENOUGH_PCPUS": true, "SR_FULL": true,
		"SR_BACKEND_FAILURE_44": true, // insufficient space on the SR
	}
	transientCodes = map[string]bool{
		"OTHER_OPERATION_IN_PROGRESS": true, "TOO_BUSY": true, "EVENTS_LOST": true,
		"HOST_OFFLINE": true, "HOST_STILL_BOOTING": true, "SESSION_INVALID": true,
		"CANNOT_CONTACT_HOST": true, "TOO_MANY_PENDING_TASKS": true,
	}
)

// kindOf classifies an error of a call.
func kindOf(err error) driver.Kind {
	var te *transportError
	code := codeOf(err)
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return driver.KindTransient
	case notFoundCodes[code]:
		return driver.KindNotFound
	case capacityCodes[code]:
		return driver.KindCapacity
	case transientCodes[code]:
		return driver.KindTransient
	case errors.As(err, &te):
		var ne net.Error
		if te.status >= http.StatusBadGateway || errors.As(err, &ne) {
			return driver.KindTransient
		}
	}
	return driver.KindPermanent
}

// fail classifies err and says what the driver was doing; XenAPI's own
// code and parameters are in err's message.
func fail(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	var de *driver.Error
	if errors.As(err, &de) {
		return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), err)
	}
	return driver.Wrap(kindOf(err), fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), err))
}
