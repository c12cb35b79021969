package sim

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/novacron/novacron/engine/driver"
)

// Type is the driver type name used in `provider "sim" "NAME"`.
const Type = "sim"

// Setting names of the provider block.
const (
	settingHosts      = "hosts"
	settingHostCPU    = "host_cpu"
	settingHostMemory = "host_memory_gb"
	settingHostNames  = "host_names"
	settingHostDisk   = "host_disk_gb"
	settingHostLabels = "host_labels"
	settingLatency    = "latency"
	settingFailRate   = "fail_rate"
	settingSeed       = "seed"
	settingImage      = "image"
)

// Limits of the provider settings.
const (
	maxHosts   = 10000
	maxHostCPU = 4096
)

// Factory returns the factory of the sim driver type.
func Factory() driver.Factory {
	return driver.Factory{
		Type:             Type,
		Description:      "An in-process simulated cluster kept in the workspace: no hypervisor needed",
		Settings:         append(settings(), driver.CostSettings()...),
		TemplateSettings: templateSettings(),
		Open: func(ctx context.Context, req driver.OpenRequest) (driver.Driver, error) {
			return Open(ctx, req)
		},
	}
}

func settings() []driver.Setting {
	return []driver.Setting{
		{
			Name: settingHosts, Type: driver.Int, Default: int64(4),
			Description: "Number of simulated hosts, named hv-01, hv-02, …; ignored when host_names is set",
			Check:       intRange(settingHosts, 1, maxHosts),
		},
		{
			Name: settingHostCPU, Type: driver.Int, Default: int64(32),
			Description: "vCPUs each host offers to its VMs",
			Check:       intRange(settingHostCPU, 1, maxHostCPU),
		},
		{
			Name: settingHostMemory, Type: driver.Number, Default: float64(128),
			Description: "Memory in GiB each host offers to its VMs",
			Check:       checkHostMemory,
		},
		{
			Name: settingHostNames, Type: driver.StringList, Shown: true,
			Description: "Names of the hosts; when set, it gives the number of hosts and overrides hosts",
			Check:       checkHostNames,
		},
		{
			Name: settingHostDisk, Type: driver.Number,
			Description: "Disk in GiB each host offers to its VMs; unset or 0 reports none, and placement does not check disk",
			Check:       checkHostDisk,
		},
		{
			Name: settingHostLabels, Type: driver.StringMap, Shown: true,
			Description: "Labels per host, for placement's host_labels and spread_by: { \"hv-01\" = \"rack=r1,ssd=true\" }",
			Check:       checkHostLabels,
		},
		{
			Name: settingLatency, Type: driver.Duration, Default: time.Duration(0),
			Description: "Delay added to every operation, to mimic a slow hypervisor API",
			Check:       checkLatency,
		},
		{
			Name: settingFailRate, Type: driver.Number, Default: float64(0),
			Description: "Probability (0 to 1) that a create, update, delete or migrate fails with a transient error before changing anything",
			Check:       checkFailRate,
		},
		{
			Name: settingSeed, Type: driver.Int, Default: int64(0),
			Description: "Seed of the fault injection, to make fail_rate reproducible; 0 seeds from the clock",
		},
	}
}

func templateSettings() []driver.Setting {
	return []driver.Setting{{
		Name: settingImage, Type: driver.String, Required: true,
		Description: "Name of the simulated image; it is recorded on the VM and nothing more",
		Check:       checkImage,
	}}
}

func intRange(name string, lo, hi int64) func(any) error {
	return func(v any) error {
		n, _ := v.(int64)
		if n < lo || n > hi {
			return fmt.Errorf("%s must be between %d and %d; got %d", name, lo, hi, n)
		}
		return nil
	}
}

func checkHostMemory(v any) error {
	if gb, _ := v.(float64); !(gb > 0) || gb > 1<<30 {
		return fmt.Errorf("host_memory_gb must be a positive number of GiB; got %v", v)
	}
	return nil
}

func checkHostNames(v any) error {
	names, _ := v.([]string)
	if len(names) == 0 || len(names) > maxHosts {
		return fmt.Errorf("host_names must list between 1 and %d hosts; got %d", maxHosts, len(names))
	}
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		if n == "" {
			return errors.New("host_names must not contain an empty name")
		}
		if seen[n] {
			return fmt.Errorf("host_names lists %q twice; each host needs a distinct name", n)
		}
		seen[n] = true
	}
	return nil
}

func checkHostDisk(v any) error {
	if gb, _ := v.(float64); !(gb >= 0) || gb > 1<<40 {
		return fmt.Errorf("host_disk_gb must be a number of GiB, 0 or more; got %v", v)
	}
	return nil
}

// checkHostLabels checks that each value parses as labels; that each key
// names a host is checked against the hosts (configHosts).
func checkHostLabels(v any) error {
	m, _ := v.(map[string]string)
	for _, host := range slices.Sorted(maps.Keys(m)) {
		if _, err := parseLabels(m[host]); err != nil {
			return fmt.Errorf("host_labels[%q]: %v", host, err)
		}
	}
	return nil
}

func checkLatency(v any) error {
	if d, _ := v.(time.Duration); d < 0 {
		return fmt.Errorf("latency must not be negative; got %v", d)
	}
	return nil
}

func checkFailRate(v any) error {
	if r, _ := v.(float64); !(r >= 0 && r <= 1) {
		return fmt.Errorf("fail_rate must be between 0 and 1 (a probability); got %v", v)
	}
	return nil
}

func checkImage(v any) error {
	if s, _ := v.(string); s == "" {
		return errors.New("image must not be empty")
	}
	return nil
}
