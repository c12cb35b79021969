package sim

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/internal/lazyregexp"
)

// config is a provider block's settings, resolved and checked.
type config struct {
	hosts    []driver.Host // in the order the block gives them
	latency  time.Duration
	failRate float64
	seed     int64
}

// validName is what a provider name must look like to be part of a file name.
var validName = lazyregexp.New(`^[A-Za-z0-9_][A-Za-z0-9_-]*$`)

// resolveConfig applies defaults for settings absent from c (so Open works
// when called without the engine's decoding) and runs every Check.
func resolveConfig(c driver.Config) (config, error) {
	full, err := driver.Resolve(settings(), c)
	if err != nil {
		return config{}, err
	}
	hosts, err := configHosts(full)
	if err != nil {
		return config{}, err
	}
	return config{
		hosts:    hosts,
		latency:  full.Duration(settingLatency),
		failRate: full.Number(settingFailRate),
		seed:     full.Int(settingSeed),
	}, nil
}

// configHosts lists the hosts a checked config asks for, with their disk
// and labels; host_labels naming no host is an error.
func configHosts(c driver.Config) ([]driver.Host, error) {
	names := c.StringList(settingHostNames)
	if len(names) == 0 {
		names = hostNames(int(c.Int(settingHosts)))
	}
	cpu := int(c.Int(settingHostCPU))
	mem := int64(math.Round(c.Number(settingHostMemory) * 1024))
	disk := int64(math.Round(c.Number(settingHostDisk)))
	labels := c.StringMap(settingHostLabels)
	hosts := make([]driver.Host, len(names))
	known := map[string]bool{}
	for i, n := range names {
		hosts[i] = driver.Host{Name: n, CPU: cpu, MemoryMiB: mem, DiskGiB: disk}
		if l, ok := labels[n]; ok {
			hosts[i].Labels, _ = parseLabels(l) // checked by checkHostLabels
		}
		known[n] = true
	}
	for _, n := range slices.Sorted(maps.Keys(labels)) {
		if !known[n] {
			return nil, fmt.Errorf("host_labels names %q, which is not a host of this provider (hosts: %s)", n, strings.Join(names, ", "))
		}
	}
	return hosts, nil
}

// parseLabels reads "k=v,k2=v2" (spaces around items ignored) as labels.
func parseLabels(s string) (map[string]string, error) {
	out := map[string]string{}
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		k, v, ok := strings.Cut(item, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" {
			return nil, fmt.Errorf("%q is not a label: write key=value, separated by commas", item)
		}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("the label %q is given twice", k)
		}
		out[k] = v
	}
	return out, nil
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
