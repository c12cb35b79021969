package hyperv

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/internal/lazyregexp"
)

// env: the settings that fall back to NOVACRON_HYPERV_<SETTING> when the
// provider block leaves them unset. insecure and allow_unencrypted never
// do.
var env = driver.EnvFallback{Prefix: "NOVACRON_HYPERV_", Settings: []string{settingURL, settingUsername, settingPassword, settingCAFile}}

// EnvName is the environment variable a setting falls back to.
func EnvName(setting string) string { return env.Name(setting) }

// config is a provider block's settings, resolved and checked.
type config struct {
	url              *url.URL // scheme, host:port, /wsman
	username         string
	password         string
	auth             string
	caFile           string
	insecure         bool
	allowUnencrypted bool
	hosts            []string // empty: the endpoint itself
	path             string
	vswitch          string
	shutdown         time.Duration
	wait             time.Duration
	cpuRatio         float64
	memoryRatio      float64
	memoryHot        bool
}

// resolveConfig fills what the block leaves out from the environment,
// applies defaults, runs every Check and checks what no single setting can.
func resolveConfig(c driver.Config) (config, error) {
	where := env.Where(c, settingURL)
	hostInBlock := c.String(settingHost) != ""
	c = env.Fill(c)
	if hostInBlock && where != settingURL {
		delete(c, settingURL) // host written in the block wins over NOVACRON_HYPERV_URL
	}
	full, err := driver.Resolve(settings(), c)
	if err != nil {
		return config{}, err
	}
	u, err := endpointURL(full, where)
	if err != nil {
		return config{}, err
	}
	cfg := config{
		url: u, username: full.String(settingUsername), password: full.String(settingPassword),
		auth: full.String(settingAuth), caFile: full.String(settingCAFile),
		insecure: full.Bool(settingInsecure), allowUnencrypted: full.Bool(settingAllowUnencrypted),
		hosts: full.StringList(settingHosts), path: full.String(settingPath), vswitch: full.String(settingSwitch),
		shutdown: full.Duration(settingShutdown), wait: full.Duration(settingWait),
		cpuRatio: full.Number(settingCPURatio), memoryRatio: full.Number(settingMemoryRatio),
		memoryHot: full.Bool(settingMemoryHot),
	}
	return cfg, cfg.check()
}

// check refuses what the settings allow one by one but not together.
func (c config) check() error {
	if err := env.Require(driver.Config{settingUsername: c.username, settingPassword: c.password},
		driver.Needed{Setting: settingUsername, What: "the Windows account"},
		driver.Needed{Setting: settingPassword, What: "the password of username"}); err != nil {
		return err
	}
	if c.url.Scheme == "http" {
		if c.auth != authBasic {
			return fmt.Errorf(`setting url = %q uses http with auth = %q: WinRM then needs NTLM message encryption, which this driver does not do; use https (port 5986)`, c.url, c.auth)
		}
		if !c.allowUnencrypted {
			return fmt.Errorf(`setting url = %q uses http with auth = "basic", which would send the password and every script unencrypted: use https (port 5986), or set allow_unencrypted = true in the provider block for a test set-up`, c.url)
		}
	}
	for i, h := range c.hosts {
		if strings.TrimSpace(h) == "" || strings.TrimSpace(h) != h {
			return fmt.Errorf("hosts[%d] %q is not a host name", i, h)
		}
		for j, o := range c.hosts[:i] {
			if strings.EqualFold(h, o) {
				return fmt.Errorf("hosts[%d] %q repeats hosts[%d] %q (host names are compared as Windows does, without case): list each host once", i, h, j, o)
			}
		}
	}
	return nil
}

// endpointURL is the WinRM URL from url, or from host and port.
func endpointURL(c driver.Config, where string) (*url.URL, error) {
	raw, host := c.String(settingURL), c.String(settingHost)
	switch {
	case raw != "" && host != "":
		return nil, errors.New("set url or host, not both")
	case raw != "":
		u, err := parseURL(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		return u, nil
	case host != "":
		return parseURL("https://" + net.JoinHostPort(host, strconv.FormatInt(c.Int(settingPort), 10)) + "/wsman")
	}
	return nil, fmt.Errorf("the WinRM endpoint is not set: set url (https://HOST:5986/wsman) or host in the provider block, or the environment variable %s", EnvName(settingURL))
}

// parseURL checks a WinRM URL: http or https, a host, no user or
// password, the path /wsman (or none); the port defaults to WinRM's.
func parseURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("%q is not a WinRM URL: write https://HOST:5986/wsman", s)
	}
	switch {
	case u.User != nil:
		return nil, fmt.Errorf("%q holds a user name or password: set username and password instead", redactURL(u))
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, fmt.Errorf("%q is not a WinRM URL: the scheme must be https (or http), not %q", s, u.Scheme)
	case u.Path != "" && u.Path != "/" && u.Path != "/wsman":
		return nil, fmt.Errorf("%q is not a WinRM URL: the path must be /wsman", s)
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("%q is not a WinRM URL: it has a query or fragment", s)
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"https": "5986", "http": "5985"}[u.Scheme]
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return nil, fmt.Errorf("%q is not a WinRM URL: bad port %q", s, port)
	}
	return &url.URL{Scheme: u.Scheme, Host: net.JoinHostPort(u.Hostname(), port), Path: "/wsman"}, nil
}

// redactURL hides the user part of a URL.
func redactURL(u *url.URL) string {
	c := *u
	c.User = nil
	return strings.Replace(c.String(), "://", "://…@", 1)
}

func checkURL(v any) error {
	if s, _ := v.(string); s != "" {
		_, err := parseURL(s)
		return err
	}
	return nil
}

func checkSecureBoot(v any) error {
	if s, _ := v.(string); !slices.Contains(secureBootValues, s) {
		return fmt.Errorf("secure_boot must be one of %s, not %q", strings.Join(secureBootValues, ", "), s)
	}
	return nil
}

func checkPort(v any) error {
	if n, _ := v.(int64); n < 1 || n > 65535 {
		return fmt.Errorf("port must be 1 to 65535, not %d", n)
	}
	return nil
}

func checkAuth(v any) error {
	if s, _ := v.(string); s != authNTLM && s != authBasic {
		return fmt.Errorf(`setting auth must be "ntlm" or "basic", not %q (Kerberos and CredSSP are not supported)`, s)
	}
	return nil
}

func positiveDuration(name string) func(any) error {
	return func(v any) error {
		if d, _ := v.(time.Duration); d <= 0 {
			return fmt.Errorf("setting %s must be positive", name)
		}
		return nil
	}
}

func positiveNumber(name string) func(any) error {
	return func(v any) error {
		if n, _ := v.(float64); n <= 0 {
			return fmt.Errorf("setting %s must be positive", name)
		}
		return nil
	}
}

// absoluteVHDX matches a Windows absolute path: a drive (C:\ or C:/) or
// a UNC share (\\server\share\…).
var absoluteVHDX = lazyregexp.New(`^([A-Za-z]:[\\/]|\\\\[^\\/]+[\\/])`)

// checkVHDX refuses an empty or relative vhdx: the scripts run in the
// WinRM shell's working folder, which is no folder templates are kept in.
func checkVHDX(v any) error {
	s, _ := v.(string)
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("setting %s must not be empty", tmplVHDX)
	}
	if !absoluteVHDX.MatchString(s) {
		return fmt.Errorf(`setting %s = %q is not an absolute path: write the VHDX's full path on the hosts, such as C:\Templates\debian-12.vhdx or \\fileserver\templates\debian-12.vhdx`, tmplVHDX, s)
	}
	return nil
}
