package ec2

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/internal/lazyregexp"
)

// Type is the driver type name used in `provider "ec2" "NAME"`.
const Type = "ec2"

// Setting names of the provider block.
const (
	settingRegion         = "region"
	settingProfile        = "profile"
	settingEndpoint       = "endpoint"
	settingSubnet         = "subnet_id"
	settingSecurityGroups = "security_group_ids"
	settingKeyName        = "key_name"
	settingListUnmanaged  = "list_unmanaged"
	settingMaxAttempts    = "max_attempts"
	settingWaitTimeout    = "wait_timeout"
	settingPollInterval   = "poll_interval"
)

// Setting names of a template's ec2 block.
const (
	tmplAMI          = "ami"
	tmplInstanceType = "instance_type"
	tmplUserData     = "user_data"
)

// Factory returns the factory of the EC2 driver type.
func Factory() driver.Factory {
	return driver.Factory{
		Type:             Type,
		Description:      "Amazon EC2 instances in one region (AMIs, instance types chosen by size)",
		Settings:         settings(),
		TemplateSettings: templateSettings(),
		MaxAddress:       maxTagValue, // novacron:address is a tag
		Open:             driver.Opener(Open),
	}
}

func settings() []driver.Setting {
	return []driver.Setting{
		{Name: settingRegion, Type: driver.String,
			Description: "AWS region, e.g. eu-west-1; default: the SDK's (AWS_REGION, or the profile's region)"},
		{Name: settingProfile, Type: driver.String,
			Description: "Shared config profile whose credentials and region to use; default: the SDK's default chain (environment, shared files, SSO, instance role)"},
		{Name: settingEndpoint, Type: driver.String, Check: checkEndpoint,
			Description: "EC2 API endpoint URL; default: the region's (or AWS_ENDPOINT_URL_EC2). For test servers and private endpoints."},
		{Name: settingSubnet, Type: driver.String, Check: idCheck(settingSubnet, "subnet"),
			Description: "Subnet instances are launched in; default: the region's default VPC"},
		{Name: settingSecurityGroups, Type: driver.StringList, Check: listCheck(settingSecurityGroups, "sg"),
			Description: "Security group IDs of the instances; default: the VPC's default group"},
		{Name: settingKeyName, Type: driver.String,
			Description: "EC2 key pair the instances accept for SSH"},
		{Name: settingListUnmanaged, Type: driver.Bool, Default: false,
			Description: "List every live instance of the region, not only those NovaCron tagged: needed to import instances and to see name conflicts"},
		{Name: settingMaxAttempts, Type: driver.Int, Default: int64(10), Check: positiveInt(settingMaxAttempts),
			Description: "Attempts per API call before a throttled or failing call gives up (the SDK's standard retryer, exponential backoff with jitter)"},
		{Name: settingWaitTimeout, Type: driver.Duration, Default: 10 * time.Minute, Check: driver.PositiveDuration(settingWaitTimeout),
			Description: "How long waiting for an instance to reach running or stopped may take"},
		{Name: settingPollInterval, Type: driver.Duration, Default: 5 * time.Second, Check: driver.PositiveDuration(settingPollInterval),
			Description: "How often an instance's state is read while waiting for it (the delay grows to 3 times this)"},
	}
}

func templateSettings() []driver.Setting {
	return []driver.Setting{
		{Name: tmplAMI, Type: driver.String, Required: true, Check: idCheck(tmplAMI, "ami"),
			Description: "AMI ID (ami-…) the instances boot from"},
		{Name: tmplInstanceType, Type: driver.String, Check: checkInstanceType,
			Description: "Instance type, e.g. m6i.large; default: the cheapest type of the driver's table with the VM's cpu and memory"},
		{Name: tmplUserData, Type: driver.String, Sensitive: true,
			Description: "cloud-init user data (plain text; the driver encodes it), at most 16 KB"},
	}
}

// awsID is the shape of an EC2 resource ID: prefix, dash, 8 or 17 hex digits.
func awsID(prefix string) *lazyregexp.Regexp {
	return lazyregexp.New(`^` + prefix + `-([0-9a-f]{8}|[0-9a-f]{17})$`)
}

func idCheck(setting, prefix string) func(any) error {
	re := awsID(prefix)
	return func(v any) error {
		if s, _ := v.(string); s != "" && !re.MatchString(s) {
			return fmt.Errorf("%s %q is not an ID of the form %s-0123456789abcdef0", setting, s, prefix)
		}
		return nil
	}
}

func listCheck(setting, prefix string) func(any) error {
	one := idCheck(setting, prefix)
	return func(v any) error {
		l, _ := v.([]string)
		for _, s := range l {
			if err := one(s); err != nil {
				return err
			}
		}
		return nil
	}
}

var endpointPattern = lazyregexp.New(`^https?://[^/\s]+(/\S*)?$`)

var typePattern = lazyregexp.New(`^[a-z][a-z0-9-]*\.[a-z0-9-]+$`)

func checkInstanceType(v any) error {
	if s, _ := v.(string); s != "" && !typePattern.MatchString(s) {
		return fmt.Errorf("instance_type %q is not an instance type name such as m6i.large", s)
	}
	return nil
}

func checkEndpoint(v any) error {
	s, _ := v.(string)
	if s == "" {
		return nil
	}
	if strings.Contains(s, "@") {
		return errors.New("endpoint holds a user name or password: credentials come from the SDK's chain (environment, profile), never the URL")
	}
	if !endpointPattern.MatchString(s) {
		return fmt.Errorf("endpoint %q is not an http:// or https:// URL", s)
	}
	return nil
}

func positiveInt(setting string) func(any) error {
	return func(v any) error {
		if n, _ := v.(int64); n < 1 || n > 100 {
			return fmt.Errorf("%s must be 1 to 100", setting)
		}
		return nil
	}
}
