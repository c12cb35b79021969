package rebalance

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Unreported is a provider whose driver does not measure utilization
// (driver.UtilizationReader) while no -utilization file was given: its
// running VMs count as using all they are allocated.
type Unreported struct {
	Provider string // provider key, such as "sim.lab"
	VMs      int    // its running VMs counted at their allocation
}

// unreported lists, without a file, the providers with unmeasured VMs that
// have no reading at all (their driver is not a UtilizationReader), by key.
func (b *builder) unreported() []Unreported {
	if b.o.File != nil {
		return nil
	}
	var out []Unreported
	for _, key := range slices.Sorted(maps.Keys(b.unmeasured)) {
		if _, measured := b.use[key]; !measured {
			out = append(out, Unreported{Provider: key, VMs: b.unmeasured[key]})
		}
	}
	return out
}

// unreportedWarnings says, per provider that cannot report, that its VMs
// count at their allocation and how to give their use instead.
func unreportedWarnings(us []Unreported) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, u := range us {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning,
			Summary: fmt.Sprintf("Provider %s cannot report utilization", u.Provider),
			Detail: fmt.Sprintf("The %s driver does not measure its VMs' use: %s. "+
				"Give their use with -utilization FILE (docs/scheduling.md, \"The -utilization file\").", driverType(u.Provider), countedWhole(u.VMs))})
	}
	return diags
}

// driverType is the driver type of a provider key ("sim" of "sim.lab").
func driverType(key string) string {
	typ, _, _ := strings.Cut(key, ".")
	return typ
}

// countedWhole says that n running VMs count at their allocation.
func countedWhole(n int) string {
	if n == 1 {
		return "its 1 running VM is counted as using all it is allocated"
	}
	return fmt.Sprintf("its %d running VMs are counted as using all they are allocated", n)
}
