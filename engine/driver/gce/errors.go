package gce

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/oauth2"
	compute "google.golang.org/api/compute/v1"
	"google.golang.org/api/googleapi"

	"github.com/novacron/novacron/engine/driver"
)

// apiError is err's Google API error, or nil.
func apiError(err error) *googleapi.Error {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return ge
	}
	return nil
}

// reasonOf is the reason of Google's error ("notFound",
// "rateLimitExceeded" …), or "".
func reasonOf(err error) string {
	if ge := apiError(err); ge != nil && len(ge.Errors) > 0 {
		return ge.Errors[0].Reason
	}
	return ""
}

// transientReasons are reasons worth trying again later.
var transientReasons = map[string]bool{
	"rateLimitExceeded": true, "userRateLimitExceeded": true, "backendError": true,
	"internalError": true, "resourceNotReady": true, "resourceInUseByAnotherResource": true,
}

// capacityReasons say that the project or zone has no room.
var capacityReasons = map[string]bool{
	"quotaExceeded": true, "QUOTA_EXCEEDED": true, "ZONE_RESOURCE_POOL_EXHAUSTED": true,
	"ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS": true,
}

// kindOf classifies an API error for the executor. A 404 without
// Google's error (a proxy's, a wrong endpoint's) is no instance's
// absence: it is permanent.
func kindOf(err error) driver.Kind {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return driver.KindTransient
	}
	ge := apiError(err)
	if ge == nil {
		var netErr interface{ Timeout() bool }
		if errors.As(err, &netErr) {
			return driver.KindTransient
		}
		return driver.KindPermanent
	}
	reason := reasonOf(err)
	switch {
	case capacityReasons[reason]:
		return driver.KindCapacity
	case transientReasons[reason], ge.Code == http.StatusTooManyRequests, ge.Code >= 500:
		return driver.KindTransient
	case (ge.Code == http.StatusNotFound && !foreign(err)) || reason == "notFound":
		return driver.KindNotFound
	}
	return driver.KindPermanent
}

// fail classifies err and says what the driver was doing, with Google's
// own code, reason and message.
func (d *Driver) fail(err error, format string, args ...any) error {
	return driver.Wrap(kindOf(err), d.describe(err, fmt.Sprintf(format, args...)))
}

// failSetting is fail for a call about a setting's resource: not found
// is permanent (the setting is wrong), and the hint names the setting
// (an answer that is no Compute Engine error names endpoint instead).
func (d *Driver) failSetting(err error, hint, format string, args ...any) error {
	kind := kindOf(err)
	if (kind == driver.KindNotFound || kind == driver.KindPermanent) && !foreign(err) {
		return driver.Wrap(driver.KindPermanent, fmt.Errorf("%w (%s)", d.describe(err, fmt.Sprintf(format, args...)), hint))
	}
	return driver.Wrap(kind, d.describe(err, fmt.Sprintf(format, args...)))
}

// foreign says whether err is an HTTP answer without Google's error JSON:
// no reason, no message (a proxy's, or a server that is no Compute
// Engine).
func foreign(err error) bool {
	ge := apiError(err)
	return ge != nil && ge.Message == "" && len(ge.Errors) == 0
}

// describe is "what: Google's error (code, reason)"; a refused token is
// said to be the credentials'; an answer without Google's error names
// its status and the host that gave it.
func (d *Driver) describe(err error, what string) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		why := tokenReason(re)
		if why == "" {
			why = strings.TrimSpace(firstLine(re.Error()))
		}
		return fmt.Errorf("%s: the token endpoint refused %s: %s: check the key file, or run `gcloud auth application-default login`", what, adcSource(), why)
	}
	ge := apiError(err)
	if ge == nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if foreign(err) {
		return &apiErr{text: fmt.Sprintf("%s: %s answered %d %s, with no Compute Engine error in its body: check endpoint (is it a Compute Engine API?)",
			what, d.cfg.endpointHost(), ge.Code, http.StatusText(ge.Code)), err: err}
	}
	reason := reasonOf(err)
	msg := ge.Message
	if msg == "" && len(ge.Errors) > 0 {
		msg = ge.Errors[0].Message
	}
	return &apiErr{text: fmt.Sprintf("%s: Compute Engine answered %d %s: %s", what, ge.Code, reason, msg), err: err}
}

// apiErr keeps Google's error in the chain under the driver's text.
type apiErr struct {
	text string
	err  error
}

func (e *apiErr) Error() string { return e.text }
func (e *apiErr) Unwrap() error { return e.err }

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// opError is the error of a DONE operation that failed: its first error's
// code classifies it, and every error's code and message are said.
func opError(op *compute.Operation, what string) error {
	errs := op.Error.Errors
	kind := driver.KindPermanent
	var parts []string
	for _, e := range errs {
		parts = append(parts, e.Code+": "+e.Message)
	}
	switch code := errs[0].Code; {
	case capacityReasons[code]:
		kind = driver.KindCapacity
	case code == "RESOURCE_NOT_FOUND":
		kind = driver.KindNotFound
	case code == "RATE_LIMIT_EXCEEDED" || code == "RESOURCE_NOT_READY" || code == "INTERNAL_ERROR":
		kind = driver.KindTransient
	}
	return driver.Errorf(kind, "%s: operation %s failed: %s", what, op.Name, strings.Join(parts, "; "))
}

// unauthenticated says whether Compute Engine refused the credentials.
func unauthenticated(err error) bool {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		return true
	}
	ge := apiError(err)
	return ge != nil && ge.Code == http.StatusUnauthorized
}

// tokenReason is the token endpoint's error and its description (RFC 6749
// 5.2), from the fields or, where the JWT flow leaves them empty, the
// body.
func tokenReason(re *oauth2.RetrieveError) string {
	code, desc := re.ErrorCode, re.ErrorDescription
	if code == "" {
		var body struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		if json.Unmarshal(re.Body, &body) == nil {
			code, desc = body.Error, body.Description
		}
	}
	if desc != "" {
		return code + " (" + desc + ")"
	}
	return code
}
