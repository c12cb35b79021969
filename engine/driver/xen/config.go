package xen

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/novacron/novacron/engine/driver"
)

// env: the settings that fall back to NOVACRON_XEN_<SETTING> when the
// provider block does not set them. insecure never does.
var env = driver.EnvFallback{Prefix: "NOVACRON_XEN_", Settings: []string{settingURL, settingUsername, settingPassword, settingCAFile}}

// EnvName is the environment variable a setting falls back to.
func EnvName(setting string) string { return env.Name(setting) }

// config is a provider block's settings, resolved and checked.
type config struct {
	url                   *url.URL
	username, password    string
	caFile                string
	insecure              bool
	pool, sr, network     string
	maxCPU                int
	maxMemoryMiB          int64
	waitTimeout, poll     time.Duration
	shutdown, callTimeout time.Duration
	cpuRatio              float64
}

// resolveConfig fills the connection settings from the environment,
// applies defaults, runs every Check and requires url and password.
func resolveConfig(c driver.Config) (config, error) {
	full, err := env.Resolve(settings(), c, settingURL)
	if err != nil {
		return config{}, err
	}
	if err := env.Require(full, driver.Needed{Setting: settingURL, What: "the address of the pool master"},
		driver.Needed{Setting: settingPassword, What: "the XenAPI password"}); err != nil {
		return config{}, err
	}
	u, _ := parseURL(full.String(settingURL))
	return config{
		url: u, username: full.String(settingUsername), password: full.String(settingPassword),
		caFile: full.String(settingCAFile), insecure: full.Bool(settingInsecure),
		pool: full.String(settingPool), sr: full.String(settingSR), network: full.String(settingNetwork),
		maxCPU: int(full.Int(settingMaxCPU)), maxMemoryMiB: int64(full.Number(settingMaxMemory) * 1024),
		waitTimeout: full.Duration(settingWaitTimeout), poll: full.Duration(settingPollInterval),
		shutdown: full.Duration(settingShutdown), callTimeout: full.Duration(settingCallTimeout),
		cpuRatio: full.Number(settingCPURatio),
	}, nil
}

// parseURL reads a url setting: https (added to a bare host name), a
// host, no user or password, no query; a path other than / or /jsonrpc is
// refused.
func parseURL(s string) (*url.URL, error) {
	text := strings.TrimSpace(s)
	if !strings.Contains(text, "://") {
		text = "https://" + text
	}
	u, err := url.Parse(text)
	switch {
	case err != nil || u.Host == "" || u.Hostname() == "":
		return nil, fmt.Errorf("%q is not the address of a pool master such as https://xen-01.example.net", driver.RedactURL(s))
	case u.User != nil:
		return nil, fmt.Errorf("the address %q holds a user name or password: set username and password instead, so the password stays secret", driver.RedactURL(s))
	case u.Scheme == "http":
		return nil, fmt.Errorf("the address %q uses http, which would send the password unencrypted: use https://%s", s, u.Host)
	case u.Scheme != "https":
		return nil, fmt.Errorf("the address %q uses %s; XenAPI is served over https", s, u.Scheme)
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("the address %q has a query or fragment; give only https://HOST[:PORT]", s)
	case u.Path != "" && u.Path != "/" && u.Path != "/jsonrpc":
		return nil, fmt.Errorf("the address %q has the path %s; give only https://HOST[:PORT] (the driver adds /jsonrpc)", s, u.Path)
	}
	return &url.URL{Scheme: "https", Host: u.Host}, nil
}

func checkURL(v any) error {
	_, err := parseURL(v.(string))
	return err
}

func nonNegativeInt(name string) func(any) error {
	return func(v any) error {
		if n := v.(int64); n < 0 || n > 512 {
			return fmt.Errorf("setting %s must be between 0 and 512", name)
		}
		return nil
	}
}

// maxVMMemoryGB is the most memory a XenServer / XCP-ng VM may have.
const maxVMMemoryGB = 1536

func nonNegativeNumber(name string) func(any) error {
	return func(v any) error {
		if f := v.(float64); !(f >= 0 && f <= maxVMMemoryGB) {
			return fmt.Errorf("setting %s must be between 0 and %d (GB; the most XenServer and XCP-ng support for a VM), not %g", name, maxVMMemoryGB, f)
		}
		return nil
	}
}
