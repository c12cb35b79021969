package vsphere

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/novacron/novacron/engine/driver"
)

// envSettings are the settings that fall back to an environment variable,
// NOVACRON_VSPHERE_<SETTING>, when the provider block does not set them:
// where vCenter is and who logs in, which CI systems keep as secrets. The
// Terraform provider reads the same variables for every setting.
var envSettings = []string{settingURL, settingUser, settingPassword, settingCAFile}

// EnvName is the environment variable a setting falls back to.
func EnvName(setting string) string { return "NOVACRON_VSPHERE_" + strings.ToUpper(setting) }

// config is a provider block's settings, resolved and checked.
type config struct {
	url             *url.URL
	user, password  string
	caFile          string
	insecure        bool
	datacenter      string
	cluster, pool   string
	datastore       string
	folder          string
	network         string
	cpuHotAdd       bool
	memoryHotAdd    bool
	shutdownTimeout time.Duration
	connectTimeout  time.Duration
	cpuRatio        float64
	memoryRatio     float64
}

// resolveConfig fills the connection settings the block leaves out from
// the environment, applies defaults (so Open works without the engine's
// decoding), runs every Check, and checks what no single setting can.
func resolveConfig(c driver.Config) (config, error) {
	where := settingURL
	if c.String(settingURL) == "" {
		where = EnvName(settingURL)
	}
	c = withEnv(c)
	if s := c.String(settingURL); s != "" {
		if _, err := parseURL(s); err != nil {
			return config{}, fmt.Errorf("%s: %w", where, err)
		}
	}
	full, err := driver.Resolve(settings(), c)
	if err != nil {
		return config{}, err
	}
	if err := required(full); err != nil {
		return config{}, err
	}
	if full.String(settingCluster) != "" && full.String(settingResourcePool) != "" {
		return config{}, errors.New("set cluster or resource_pool, not both: the VMs go in one resource pool (a cluster's is its root pool)")
	}
	u, _ := parseURL(full.String(settingURL)) // checked above; required says it is set
	return config{
		url: u, user: full.String(settingUser), password: full.String(settingPassword),
		caFile: full.String(settingCAFile), insecure: full.Bool(settingInsecure),
		datacenter: full.String(settingDatacenter),
		cluster:    full.String(settingCluster), pool: full.String(settingResourcePool),
		datastore: full.String(settingDatastore), folder: full.String(settingFolder),
		network:   full.String(settingNetwork),
		cpuHotAdd: full.Bool(settingCPUHotAdd), memoryHotAdd: full.Bool(settingMemoryHotAdd),
		shutdownTimeout: full.Duration(settingShutdown), connectTimeout: full.Duration(settingConnect),
		cpuRatio: full.Number(settingCPURatio), memoryRatio: full.Number(settingMemoryRatio),
	}, nil
}

// withEnv returns c with the environment's value of each envSettings
// setting c leaves unset.
func withEnv(c driver.Config) driver.Config {
	out := make(driver.Config, len(c)+len(envSettings))
	for k, v := range c {
		out[k] = v
	}
	for _, s := range envSettings {
		if out.String(s) != "" {
			continue
		}
		if v, ok := os.LookupEnv(EnvName(s)); ok && v != "" {
			out[s] = v
		}
	}
	return out
}

// required fails for the first connection setting that has no value.
func required(c driver.Config) error {
	for _, s := range []struct{ name, what string }{
		{settingURL, "the vCenter address"}, {settingUser, "the vCenter user"}, {settingPassword, "the password of the vCenter user"},
	} {
		if strings.TrimSpace(c.String(s.name)) == "" {
			return fmt.Errorf("%s is not set: set %s in the provider block or the environment variable %s", s.what, s.name, EnvName(s.name))
		}
	}
	return nil
}
