package vsphere

import (
	"errors"
	"net/url"
	"time"

	"github.com/novacron/novacron/engine/driver"
)

// env: the settings that fall back to an environment variable,
// NOVACRON_VSPHERE_<SETTING>, when the provider block does not set them.
// The Terraform provider reads the same variables for every setting.
var env = driver.EnvFallback{Prefix: "NOVACRON_VSPHERE_", Settings: []string{settingURL, settingUser, settingPassword, settingCAFile}}

// EnvName is the environment variable a setting falls back to.
func EnvName(setting string) string { return env.Name(setting) }

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
	full, err := env.Resolve(settings(), c, settingURL)
	if err != nil {
		return config{}, err
	}
	if err := env.Require(full, driver.Needed{Setting: settingURL, What: "the vCenter address"},
		driver.Needed{Setting: settingUser, What: "the vCenter user"},
		driver.Needed{Setting: settingPassword, What: "the password of the vCenter user"}); err != nil {
		return config{}, err
	}
	if full.String(settingCluster) != "" && full.String(settingResourcePool) != "" {
		return config{}, errors.New("set cluster or resource_pool, not both: the VMs go in one resource pool (a cluster's is its root pool)")
	}
	u, _ := parseURL(full.String(settingURL)) // checked above; Require says it is set
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
