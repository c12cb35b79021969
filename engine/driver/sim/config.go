package sim

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"time"

	"github.com/novacron/novacron/engine/driver"
)

// config is a provider block's settings, resolved and checked.
type config struct {
	hosts    []driver.Host // in the order the block gives them
	latency  time.Duration
	failRate float64
	seed     int64
}

// validName is what a provider name must look like to be part of a file name.
var validName = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_-]*$`)

// resolveConfig applies defaults for settings absent from c (so Open works
// when called without the engine's decoding) and runs every Check.
func resolveConfig(c driver.Config) (config, error) {
	full, err := driver.Resolve(settings(), c)
	if err != nil {
		return config{}, err
	}
	return config{
		hosts:    configHosts(full),
		latency:  full.Duration(settingLatency),
		failRate: full.Number(settingFailRate),
		seed:     full.Int(settingSeed),
	}, nil
}

// configHosts lists the hosts a checked config asks for.
func configHosts(c driver.Config) []driver.Host {
	names := c.StringList(settingHostNames)
	if len(names) == 0 {
		names = hostNames(int(c.Int(settingHosts)))
	}
	cpu := int(c.Int(settingHostCPU))
	mem := int64(math.Round(c.Number(settingHostMemory) * 1024))
	hosts := make([]driver.Host, len(names))
	for i, n := range names {
		hosts[i] = driver.Host{Name: n, CPU: cpu, MemoryMiB: mem}
	}
	return hosts
}

// hostNames returns the default names hv-01 … hv-NN, with at least two
// digits and as many as n needs.
func hostNames(n int) []string {
	width := max(2, len(strconv.Itoa(n)))
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("hv-%0*d", width, i+1)
	}
	return names
}
