package gce

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/novacron/novacron/engine/driver"
)

// Type is the driver type name used in `provider "gce" "NAME"`.
const Type = "gce"

// Setting names of the provider block.
const (
	settingProject       = "project"
	settingZone          = "zone"
	settingZones         = "zones"
	settingNetwork       = "network"
	settingSubnetwork    = "subnetwork"
	settingEndpoint      = "endpoint"
	settingUnencrypted   = "allow_unencrypted"
	settingListUnmanaged = "list_unmanaged"
	settingWaitTimeout   = "wait_timeout"
	settingPollInterval  = "poll_interval"
)

// Setting names of a template's gce block.
const (
	tmplImage       = "image"
	tmplMachineType = "machine_type"
)

// Factory returns the factory of the gce driver type.
func Factory() driver.Factory {
	return driver.Factory{
		Type:             Type,
		Description:      "Google Compute Engine instances (REST API) in one project, in one zone or spread over several",
		Settings:         settings(),
		TemplateSettings: templateSettings(),
		MaxAddress:       maxAddress, // novacron-a0 … split over labels (labels.go)
		Open:             driver.Opener(Open),
	}
}

func settings() []driver.Setting {
	return []driver.Setting{
		{Name: settingProject, Type: driver.String, Check: pattern(settingProject, projectName, "a project ID such as my-project-123"),
			Description: "Project ID; default: the project of the Application Default Credentials"},
		{Name: settingZone, Type: driver.String, Check: pattern(settingZone, zoneName, "a zone such as us-central1-a"),
			Description: "Zone the instances run in (set zone or zones)"},
		{Name: settingZones, Type: driver.StringList, Check: checkZones,
			Description: "Zones of one region the instances are spread over, by address; a VM's host names its zone (set zone or zones)"},
		{Name: settingNetwork, Type: driver.String, Default: "default", Check: pattern(settingNetwork, resourceName, "a network name such as default"),
			Description: "VPC network of the instances' interface; \"\" is the default"},
		{Name: settingSubnetwork, Type: driver.String, Check: pattern(settingSubnetwork, resourceName, "a subnetwork name"),
			Description: "Subnetwork of the zones' region; default: the network's (auto mode networks)"},
		{Name: settingEndpoint, Type: driver.String, Check: checkEndpoint,
			Description: "Compute Engine API base URL, e.g. https://compute.googleapis.com/compute/v1/; default: Google's. For test servers and private endpoints. http only on a loopback address, or with allow_unencrypted"},
		{Name: settingUnencrypted, Type: driver.Bool, Default: false, NoEnv: true,
			Description: "Allow an http endpoint on an address that is not loopback, which sends the OAuth bearer token unencrypted: for test set-ups only"},
		{Name: settingListUnmanaged, Type: driver.Bool, Default: false,
			Description: "List every instance of the zones, not only those NovaCron labelled: needed to import instances and to see name conflicts"},
		{Name: settingWaitTimeout, Type: driver.Duration, Default: 10 * time.Minute, Check: driver.PositiveDuration(settingWaitTimeout),
			Description: "How long one zone operation (insert, stop, start, delete …) may take"},
		{Name: settingPollInterval, Type: driver.Duration, Default: 2 * time.Second, Check: driver.PositiveDuration(settingPollInterval),
			Description: "How often a zone operation is read while waiting for it (the delay grows to 4 times this)"},
	}
}

func templateSettings() []driver.Setting {
	return []driver.Setting{
		{Name: tmplImage, Type: driver.String, Required: true, Check: checkImage,
			Description: "Boot image: projects/PROJECT/global/images/NAME, or projects/PROJECT/global/images/family/FAMILY for the family's newest"},
		{Name: tmplMachineType, Type: driver.String, Check: pattern(tmplMachineType, resourceName, "a machine type such as e2-medium"),
			Description: "Machine type, e.g. n2-standard-2; default: the cheapest type of the driver's table with the VM's cpu and memory"},
	}
}

// The patterns are compiled at their first use, not when nova-plan starts:
// every run links this driver, few use it, and the counted repetitions
// cost hundreds of allocations each to compile (issue 15).
var (
	projectName  = lazyRegexp(`^([a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$`)
	zoneName     = lazyRegexp(`^[a-z]+-[a-z]+[0-9]+-[a-z]$`)
	resourceName = lazyRegexp(`^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$`)
	imagePath    = lazyRegexp(`^projects/(([a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9])/global/images/(family/)?([a-z]([-a-z0-9]{0,61}[a-z0-9])?)$`)
	endpointURL  = lazyRegexp(`^https?://[^/\s]+(/\S*)?$`)
)

// lazyRegexp returns expr compiled at the first call.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

func pattern(setting string, re func() *regexp.Regexp, what string) func(any) error {
	return func(v any) error {
		if s, _ := v.(string); s != "" && !re().MatchString(s) {
			return fmt.Errorf("%s %q is not %s", setting, s, what)
		}
		return nil
	}
}

// checkZones checks each zone of the list, and that none is empty or
// listed twice.
func checkZones(v any) error {
	l, _ := v.([]string)
	one := pattern(settingZones, zoneName, "a zone such as us-central1-a")
	seen := map[string]bool{}
	for i, z := range l {
		switch {
		case z == "":
			return fmt.Errorf("zones[%d] is empty: name a zone such as us-central1-a, or leave it out", i)
		case seen[z]:
			return fmt.Errorf("zones lists %s twice", z)
		}
		seen[z] = true
		if err := one(z); err != nil {
			return err
		}
	}
	return nil
}

func checkImage(v any) error {
	if s, _ := v.(string); !imagePath().MatchString(s) {
		return fmt.Errorf("image %q is not projects/PROJECT/global/images/NAME or projects/PROJECT/global/images/family/FAMILY", s)
	}
	return nil
}

func checkEndpoint(v any) error {
	s, _ := v.(string)
	if s == "" {
		return nil
	}
	_, err := parseEndpoint(s)
	return err
}

// parseEndpoint checks an endpoint and returns it with its path ending in
// "/" (the client resolves "projects/…" against it: without the slash the
// last path element would be dropped). A user name, password, query or
// fragment is refused and never repeated: it may hold a secret.
func parseEndpoint(s string) (*url.URL, error) {
	if strings.Contains(s, "@") {
		return nil, errors.New("endpoint holds a user name or password: credentials come from Application Default Credentials, never the URL")
	}
	shown, _, hasQuery := strings.Cut(s, "?")
	shown, _, hasFragment := strings.Cut(shown, "#")
	u, err := url.Parse(s)
	switch {
	case err != nil || !endpointURL().MatchString(s) || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https"):
		return nil, fmt.Errorf("endpoint %q is not an http:// or https:// URL", shown)
	case hasQuery || u.RawQuery != "":
		return nil, fmt.Errorf("endpoint %s has a query (?…), which the driver would not send: the endpoint is a base URL such as https://compute.googleapis.com/compute/v1/", shown)
	case hasFragment || u.Fragment != "":
		return nil, fmt.Errorf("endpoint %s has a fragment (#…), which the driver would not send: the endpoint is a base URL such as https://compute.googleapis.com/compute/v1/", shown)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		u.RawPath = ""
	}
	return u, nil
}

// loopback says whether host is this machine: localhost or a loopback
// address.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
