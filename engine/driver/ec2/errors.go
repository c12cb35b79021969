package ec2

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"

	"github.com/novacron/novacron/engine/driver"
)

// errorCode is the EC2 error code of err, or "".
func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// transientCodes are EC2 error codes worth trying again later (the SDK's
// retryer has already tried them max_attempts times).
var transientCodes = map[string]bool{
	"RequestLimitExceeded": true, "Throttling": true, "ThrottlingException": true,
	"InternalError": true, "ServiceUnavailable": true, "Unavailable": true,
	"IncorrectInstanceState": true,
}

// kindOf classifies an SDK error for the executor.
func kindOf(err error) driver.Kind {
	code := errorCode(err)
	var maxed *retry.MaxAttemptsError
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return driver.KindTransient
	case strings.HasSuffix(code, ".NotFound") && strings.HasPrefix(code, "InvalidInstanceID"):
		return driver.KindNotFound
	case code == "InsufficientInstanceCapacity" || code == "InstanceLimitExceeded" || code == "VcpuLimitExceeded":
		return driver.KindCapacity
	case transientCodes[code]:
		return driver.KindTransient
	case code == "" && errors.As(err, &maxed):
		return driver.KindTransient // the network failed every attempt
	case code == "":
		var netErr interface{ Timeout() bool }
		if errors.As(err, &netErr) {
			return driver.KindTransient
		}
	}
	return driver.KindPermanent
}

// fail classifies err and says what the driver was doing, with EC2's own
// code and message (which never hold a sensitive setting's value), and
// what to do where the code says.
func fail(err error, format string, args ...any) error {
	what := fmt.Sprintf(format, args...)
	if hint := hints[errorCode(err)]; hint != "" {
		return driver.Wrap(kindOf(err), fmt.Errorf("%s: %w (%s)", what, err, hint))
	}
	return driver.Wrap(kindOf(err), fmt.Errorf("%s: %w", what, err))
}

// hints name the setting to look at for the codes a setting causes.
var hints = map[string]string{
	"AuthFailure":                 "the credentials of the SDK's chain were refused: check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or profile, and region",
	"UnauthorizedOperation":       "the credentials may not do this: grant the IAM permission named",
	"InvalidAMIID.NotFound":       "check ami in the template's ec2 block: AMIs are per region",
	"InvalidAMIID.Malformed":      "check ami in the template's ec2 block",
	"InvalidSubnetID.NotFound":    "check subnet_id",
	"InvalidGroup.NotFound":       "check security_group_ids",
	"InvalidKeyPair.NotFound":     "check key_name",
	"InvalidInstanceType":         "check instance_type in the template's ec2 block",
	"OptInRequired":               "the account is not subscribed to this service or region",
	"UnrecognizedClientException": "the credentials of the SDK's chain were refused",
}
