package azure

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"

	"github.com/novacron/novacron/engine/driver"
)

// credential wraps the token credential so that its failures are known
// for what they are when they come back through the SDK's pipeline.
type credential struct{ azcore.TokenCredential }

// credentialError is a token that could not be had.
type credentialError struct{ err error }

func (e credentialError) Error() string { return e.err.Error() }
func (e credentialError) Unwrap() error { return e.err }

func (c credential) GetToken(ctx context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	t, err := c.TokenCredential.GetToken(ctx, o)
	if err != nil {
		return t, credentialError{err}
	}
	return t, nil
}

// Error codes Azure answers with, by what they mean here.
var (
	notFoundCodes = []string{"NotFound", "ResourceNotFound"}
	capacityCodes = []string{"QuotaExceeded", "OperationNotAllowed", "SkuNotAvailable", "AllocationFailed",
		"ZonalAllocationFailed", "OverconstrainedAllocationRequest", "OverconstrainedZonalAllocationRequest"}
	imageCodes = []string{"ImageNotFound", "PlatformImageNotFound", "InvalidImageReference", "GalleryImageNotFound"}
	authCodes  = []string{"AuthorizationFailed", "InvalidAuthenticationToken", "InvalidAuthenticationTokenTenant",
		"AuthenticationFailed", "LinkedAuthorizationFailed"}
)

// fail classifies an SDK error and says what was being done; where a
// setting is to blame, the message names it. Messages hold Azure's error
// code and message, never a request body.
func (d *Driver) fail(err error, format string, args ...any) error {
	what := fmt.Sprintf(format, args...)
	var ce credentialError
	var re *azcore.ResponseError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return driver.Errorf(driver.KindTransient, "%s: no answer within %s (operation_timeout)", what, d.cfg.timeout)
	case errors.Is(err, context.Canceled):
		return driver.Wrap(driver.KindTransient, fmt.Errorf("%s: %w", what, err))
	case errors.As(err, &ce):
		return driver.Errorf(driver.KindPermanent, "%s: no Azure credentials: %s; DefaultAzureCredential reads AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET (or a workload or managed identity, or `az login`)", what, firstLine(ce.err.Error()))
	case errors.As(err, &re):
		return d.responseError(what, re)
	}
	return driver.Wrap(driver.KindTransient, fmt.Errorf("%s: %w", what, err))
}

// responseError classifies an error answer of Azure Resource Manager.
func (d *Driver) responseError(what string, re *azcore.ResponseError) error {
	code, msg := re.ErrorCode, responseMessage(re)
	detail := code
	if msg != "" {
		detail += ": " + msg
	}
	switch {
	case code == "ResourceGroupNotFound":
		return driver.Errorf(driver.KindPermanent, "%s: resource group %q not found in subscription %s: set resource_group to an existing resource group", what, d.cfg.resourceGroup, d.cfg.subscription)
	case code == "SubscriptionNotFound" || code == "InvalidSubscriptionId":
		return driver.Errorf(driver.KindPermanent, "%s: subscription %s not found (%s): check subscription_id", what, d.cfg.subscription, detail)
	case slicesContains(authCodes, code) || re.StatusCode == http.StatusUnauthorized || re.StatusCode == http.StatusForbidden:
		return driver.Errorf(driver.KindPermanent, "%s: Azure refused the credentials for subscription_id %s (%s): give the identity DefaultAzureCredential finds a role such as Virtual Machine Contributor and Network Contributor on resource group %s", what, d.cfg.subscription, detail, d.cfg.resourceGroup)
	case slicesContains(imageCodes, code):
		return driver.Errorf(driver.KindPermanent, "%s: the image is not found in %s (%s): set image in the template's azure block to an image available there", what, d.cfg.location, detail)
	case code == "InvalidResourceReference" || code == "SubnetNotFound" || code == "InvalidSubnet":
		return driver.Errorf(driver.KindPermanent, "%s: %s: check subnet_id (%s)", what, detail, d.cfg.subnet)
	case slicesContains(notFoundCodes, code) || re.StatusCode == http.StatusNotFound:
		return driver.Errorf(driver.KindNotFound, "%s: %s", what, detail)
	case slicesContains(capacityCodes, code):
		return driver.Errorf(driver.KindCapacity, "%s: %s", what, detail)
	case re.StatusCode == http.StatusTooManyRequests || re.StatusCode == http.StatusRequestTimeout || re.StatusCode >= 500:
		return driver.Errorf(driver.KindTransient, "%s: %s (HTTP %d, still after the SDK's retries)", what, detail, re.StatusCode)
	case code == "Conflict" || code == "OperationPreempted" || code == "RetryableError":
		return driver.Errorf(driver.KindTransient, "%s: %s", what, detail)
	}
	return driver.Errorf(driver.KindPermanent, "%s: %s", what, detail)
}

// responseMessage returns the message of an ARM error body
// ({"error":{"code":…,"message":…}}), or "".
func responseMessage(re *azcore.ResponseError) string {
	if re.RawResponse == nil {
		return ""
	}
	body, err := runtime.Payload(re.RawResponse)
	if err != nil {
		return ""
	}
	var doc struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &doc) != nil {
		return ""
	}
	return firstLine(doc.Error.Message)
}

// isNotFound reports whether err is Azure's answer that a resource does
// not exist (other than its resource group).
func isNotFound(err error) bool {
	var re *azcore.ResponseError
	return errors.As(err, &re) && re.StatusCode == http.StatusNotFound && re.ErrorCode != "ResourceGroupNotFound"
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
