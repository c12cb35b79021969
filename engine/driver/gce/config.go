package gce

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/url"
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
	endpoint            string // with its trailing slash; "" for Google's
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
	if cfg.network == "" {
		cfg.network = "default" // as "" is the default project and subnetwork
	}
	if err := cfg.resolveEndpoint(full.Bool(settingUnencrypted)); err != nil {
		return config{}, err
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

// resolveEndpoint adds the endpoint's trailing slash, and refuses http
// (the bearer token would travel in clear) but to a loopback address,
// such as a test server's, unless allow_unencrypted says so.
func (c *config) resolveEndpoint(allowUnencrypted bool) error {
	if c.endpoint == "" {
		return nil
	}
	u, err := parseEndpoint(c.endpoint)
	if err != nil {
		return err
	}
	c.endpoint = u.String()
	if u.Scheme == "http" && !loopback(u.Hostname()) && !allowUnencrypted {
		return fmt.Errorf("endpoint %s is http: the driver would send the OAuth bearer token of the credentials in clear to %s: use https, or set allow_unencrypted = true in the provider block (for test set-ups only; http to a loopback address needs no such setting)", c.endpoint, u.Host)
	}
	return nil
}

// endpointHost is the host the driver calls: the endpoint's, or Google's.
func (c config) endpointHost() string {
	if u, err := url.Parse(c.endpoint); err == nil && c.endpoint != "" {
		return u.Host
	}
	return "compute.googleapis.com"
}

// regionOf is a zone's region: us-central1 of us-central1-a (a checked
// zone always has a dash; anything else is its own region).
func regionOf(zone string) string {
	if i := strings.LastIndex(zone, "-"); i > 0 {
		return zone[:i]
	}
	return zone
}

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
	if err := checkKey(creds.JSON); err != nil {
		return nil, "", err
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

// checkKey reads the private key of a service account key file as the
// auth library will when it signs its first token request, so that a key
// that is none is said to be the credentials' fault, not the network's.
// The key's text is never repeated.
func checkKey(js []byte) error {
	var f struct {
		Type       string `json:"type"`
		PrivateKey string `json:"private_key"`
	}
	if len(js) == 0 || json.Unmarshal(js, &f) != nil || f.Type != "service_account" {
		return nil // no key file, or not a service account's: the library says
	}
	der := []byte(f.PrivateKey)
	if b, _ := pem.Decode(der); b != nil {
		der = b.Bytes
	}
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		if _, ok := k.(*rsa.PrivateKey); ok {
			return nil
		}
	} else if _, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return nil
	}
	return fmt.Errorf("the service account key file of %s holds no usable private key: its private_key is not an RSA key in PEM (PKCS #8 or PKCS #1): download a new key (gcloud iam service-accounts keys create), or point GOOGLE_APPLICATION_CREDENTIALS at another file", adcSource())
}
