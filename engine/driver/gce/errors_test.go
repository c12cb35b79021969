package gce

import (
	"context"
	"fmt"
	"testing"

	compute "google.golang.org/api/compute/v1"
	"google.golang.org/api/googleapi"

	"github.com/novacron/novacron/engine/driver"
)

// TestKinds: Google's errors and operation errors are classified for the
// executor.
func TestKinds(t *testing.T) {
	api := func(code int, reason string) error {
		return fmt.Errorf("wrapped: %w", &googleapi.Error{Code: code, Message: "m", Errors: []googleapi.ErrorItem{{Reason: reason}}})
	}
	for _, tc := range []struct {
		err  error
		want driver.Kind
	}{
		{api(429, "rateLimitExceeded"), driver.KindTransient},
		{api(403, "rateLimitExceeded"), driver.KindTransient},
		{api(403, "userRateLimitExceeded"), driver.KindTransient},
		{api(503, "backendError"), driver.KindTransient},
		{api(500, ""), driver.KindTransient},
		{api(400, "resourceNotReady"), driver.KindTransient},
		{api(403, "quotaExceeded"), driver.KindCapacity},
		{api(404, "notFound"), driver.KindNotFound},
		{api(400, "invalid"), driver.KindPermanent},
		{api(403, "forbidden"), driver.KindPermanent},
		{api(409, "alreadyExists"), driver.KindPermanent},
		{context.DeadlineExceeded, driver.KindTransient},
	} {
		if got := kindOf(tc.err); got != tc.want {
			t.Errorf("kindOf(%v) = %s, want %s", tc.err, got, tc.want)
		}
	}
	for code, want := range map[string]driver.Kind{
		"QUOTA_EXCEEDED": driver.KindCapacity, "ZONE_RESOURCE_POOL_EXHAUSTED": driver.KindCapacity,
		"ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS": driver.KindCapacity, "RESOURCE_NOT_FOUND": driver.KindNotFound,
		"RATE_LIMIT_EXCEEDED": driver.KindTransient, "INVALID_FIELD_VALUE": driver.KindPermanent,
	} {
		op := &compute.Operation{Name: "operation-1", Error: &compute.OperationError{Errors: []*compute.OperationErrorErrors{{Code: code, Message: "msg"}}}}
		if err := opError(op, "creating"); driver.KindOf(err) != want {
			t.Errorf("an operation's %s: %v (%s), want %s", code, err, driver.KindOf(err), want)
		}
	}
}
