package ec2

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/smithy-go/logging"

	"github.com/novacron/novacron/engine/driver"
)

// config is a provider block's settings, resolved and checked.
type config struct {
	region, profile, endpoint string
	subnet                    string
	groups                    []string
	keyName                   string
	listUnmanaged             bool
	maxAttempts               int
	waitTimeout, poll         time.Duration
}

// resolveConfig applies defaults (so Open works without the engine's
// decoding) and runs every Check.
func resolveConfig(c driver.Config) (config, error) {
	full, err := driver.Resolve(settings(), c)
	if err != nil {
		return config{}, err
	}
	return config{
		region: strings.TrimSpace(full.String(settingRegion)), profile: full.String(settingProfile),
		endpoint: full.String(settingEndpoint), subnet: full.String(settingSubnet),
		groups: full.StringList(settingSecurityGroups), keyName: full.String(settingKeyName),
		listUnmanaged: full.Bool(settingListUnmanaged), maxAttempts: int(full.Int(settingMaxAttempts)),
		waitTimeout: full.Duration(settingWaitTimeout), poll: full.Duration(settingPollInterval),
	}, nil
}

// client makes the EC2 client: the SDK's default chain for credentials
// and region (narrowed by profile and region), its standard retryer for
// throttling and transient errors, and no client-side retry quota, since
// the engine's per-provider rate limit paces the calls.
func client(ctx context.Context, c config) (*ec2.Client, string, error) {
	opts := []func(*awsconfig.LoadOptions) error{
		awsconfig.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = c.maxAttempts
				o.MaxBackoff = 20 * time.Second
				o.RateLimiter = ratelimit.None
			})
		}),
	}
	if c.region != "" {
		opts = append(opts, awsconfig.WithRegion(c.region))
	}
	if c.profile != "" {
		opts = append(opts, awsconfig.WithSharedConfigProfile(c.profile))
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		if c.profile != "" {
			return nil, "", fmt.Errorf("profile %q: %w", c.profile, err)
		}
		return nil, "", fmt.Errorf("loading the AWS SDK's configuration: %w", err)
	}
	if cfg.Region == "" {
		return nil, "", fmt.Errorf("region is not set: set region in the provider block, or AWS_REGION, or a region in the profile")
	}
	return ec2.NewFromConfig(cfg, func(o *ec2.Options) {
		o.Logger = logging.Nop{} // the SDK's warnings would land in the CLI's output; errors are returned
		if c.endpoint != "" {
			o.BaseEndpoint = aws.String(c.endpoint)
		}
	}), cfg.Region, nil
}
