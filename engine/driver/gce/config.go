package gce

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"golang.org/x/oauth2/google"
	compute "google.golang.org/api/compute/v1"
	"google.golang.org/api/option"

	"github.com/novacron/novacron/engine/driver"
)

// config is a provider block's settings, resolved and checked.
type config struct {
	project             string
	zones               []string
	network, subnetwork string
	endpoint            string
	listUnmanaged       bool
	waitTimeout, poll   time.Duration
}

// resolveConfig applies defaults (so Open works without the engine's
// decoding), runs every Check, and checks the settings together.
func resolveConfig(c driver.Config) (config, error) {
	full, err := driver.Resolve(settings(), c)
	if err != nil {
		return config{}, err
	}
	cfg := config{
		project: full.String(settingProject), network: full.String(settingNetwork),
		subnetwork: full.String(settingSubnetwork), endpoint: full.String(settingEndpoint),
		listUnmanaged: full.Bool(settingListUnmanaged),
		waitTimeout:   full.Duration(settingWaitTimeout), poll: full.Duration(settingPollInterval),
	}
	zone, zones := full.String(settingZone), full.StringList(settingZones)
	switch {
	case zone != "" && len(zones) > 0:
		return config{}, fmt.Errorf("set zone or zones, not both")
	case zone != "":
		cfg.zones = []string{zone}
	case len(zones) > 0:
		cfg.zones = slices.Compact(slices.Sorted(slices.Values(zones)))
	default:
		return config{}, fmt.Errorf("zone is not set: set zone (or zones) in the provider block")
	}
	for _, z := range cfg.zones {
		if regionOf(z) != regionOf(cfg.zones[0]) {
			return config{}, fmt.Errorf("zones %s and %s are in different regions: zones must be of one region (the subnetwork is regional)", cfg.zones[0], z)
		}
	}
	return cfg, nil
}

// regionOf is a zone's region: us-central1 of us-central1-a.
func regionOf(zone string) string { return zone[:strings.LastIndex(zone, "-")] }

// adcSource says where Application Default Credentials come from, for
// messages: the file GOOGLE_APPLICATION_CREDENTIALS names, or the rest of
// the chain.
func adcSource() string {
	if f := os.Getenv("GOOGLE_APPLICATION_CREDENTIALS"); f != "" {
		return fmt.Sprintf("Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS=%s)", f)
	}
	return "Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS unset: gcloud's application_default_credentials.json or the metadata server)"
}

// newService finds Application Default Credentials (the only source of
// credentials: no setting holds them) and makes the REST client. The
// project defaults to the credentials'.
func newService(ctx context.Context, c config) (*compute.Service, string, error) {
	// The token source keeps its context for every refresh: it must
	// outlive Open's.
	creds, err := google.FindDefaultCredentials(context.WithoutCancel(ctx), compute.ComputeScope)
	if err != nil {
		return nil, "", fmt.Errorf("no %s: %v: set GOOGLE_APPLICATION_CREDENTIALS to a service account key file, or run `gcloud auth application-default login`", adcSource(), err)
	}
	project := c.project
	if project == "" {
		project = creds.ProjectID
	}
	if project == "" {
		return nil, "", fmt.Errorf("project is not set, and %s name none: set project in the provider block", adcSource())
	}
	opts := []option.ClientOption{option.WithCredentials(creds), option.WithTelemetryDisabled()}
	if c.endpoint != "" {
		opts = append(opts, option.WithEndpoint(c.endpoint))
	}
	svc, err := compute.NewService(context.WithoutCancel(ctx), opts...)
	if err != nil {
		return nil, "", fmt.Errorf("making the Compute Engine client: %w", err)
	}
	return svc, project, nil
}
