package libvirt

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/novacron/novacron/engine/driver"
)

// config is a provider block's settings, resolved and checked.
type config struct {
	hosts           []hostConfig // sorted by name; the name is "" until dialled when uri is used
	domainType      string
	pool            string
	network, bridge string
	maxCPU          int
	maxMemoryMiB    int64
	shutdownTimeout time.Duration
	connectTimeout  time.Duration
	cpuRatio        float64
	memoryRatio     float64
	serialLogDir    string
	tlsPKIPath      string
	tlsSkipVerify   bool
	unsafeMigrate   bool
}

// hostConfig is one host of the provider.
type hostConfig struct{ name, uri string }

// resolveConfig applies defaults for settings absent from c (so Open works
// when called without the engine's decoding), runs every Check, and checks
// what no single setting can: uri or hosts, network or bridge.
func resolveConfig(c driver.Config) (config, error) {
	full, err := driver.Resolve(settings(), c)
	if err != nil {
		return config{}, err
	}
	hosts, err := configHosts(full)
	if err != nil {
		return config{}, err
	}
	if full.String(settingNetwork) != "" && full.String(settingBridge) != "" {
		return config{}, errors.New("set network or bridge, not both: a VM has one NIC")
	}
	return config{
		hosts:           hosts,
		domainType:      full.String(settingDomainType),
		pool:            full.String(settingPool),
		network:         full.String(settingNetwork),
		bridge:          full.String(settingBridge),
		maxCPU:          int(full.Int(settingMaxCPU)),
		maxMemoryMiB:    int64(math.Round(full.Number(settingMaxMemory) * 1024)),
		shutdownTimeout: full.Duration(settingShutdown),
		connectTimeout:  full.Duration(settingConnect),
		cpuRatio:        full.Number(settingCPURatio),
		memoryRatio:     full.Number(settingMemoryRatio),
		serialLogDir:    full.String(settingSerialLogDir),
		tlsPKIPath:      full.String(settingTLSPKIPath),
		tlsSkipVerify:   full.Bool(settingTLSSkipVerify),
		unsafeMigrate:   full.Bool(settingUnsafeMigrate),
	}, nil
}

// configHosts lists the hosts of uri (with host_name) or of hosts.
func configHosts(c driver.Config) ([]hostConfig, error) {
	uri, hosts := c.String(settingURI), c.StringMap(settingHosts)
	switch {
	case uri != "" && len(hosts) > 0:
		return nil, errors.New("set uri (one host) or hosts (several), not both")
	case uri == "" && len(hosts) == 0:
		return nil, errors.New("set uri to the libvirt URI of the host, such as qemu:///system, or hosts to a map of host names to URIs")
	case uri != "":
		return []hostConfig{{name: c.String(settingHostName), uri: uri}}, nil
	}
	if c.String(settingHostName) != "" {
		return nil, fmt.Errorf("host_name names the one host of uri; with hosts, the map's keys are the host names")
	}
	out := make([]hostConfig, 0, len(hosts))
	for _, name := range slices.Sorted(maps.Keys(hosts)) {
		out = append(out, hostConfig{name: name, uri: hosts[name]})
	}
	return out, nil
}

// ceilings returns the maximum vCPUs and memory a domain of the given size
// is defined with: the configured ceilings, or twice the size, and never
// less than the size.
func (c config) ceilings(cpu int, mib int64) (int, int64) {
	maxCPU, maxMiB := c.maxCPU, c.maxMemoryMiB
	if maxCPU == 0 {
		maxCPU = 2 * cpu
	}
	if maxMiB == 0 {
		maxMiB = 2 * mib
	}
	return min(max(maxCPU, cpu), maxVCPUs), max(maxMiB, mib)
}
