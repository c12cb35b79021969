package place

import (
	"fmt"
	"maps"
	"slices"
)

// reject says why host h cannot take vm, or "" when it can: the pin, then
// capacity (CPU and memory, then disk where the host reports it), then the
// labels the VM requires, then anti-affinity, then the failure-domain
// label spread_by needs.
func (c *Cluster) reject(h *hostState, vm VM) string {
	if vm.Pin != "" && vm.Pin != h.Name {
		return "not the pinned host " + vm.Pin
	}
	if why := h.fits(vm.CPU, vm.MemoryMiB); why != "" {
		return why
	}
	if !h.diskRoom(vm.DiskGiB) {
		return fmt.Sprintf("insufficient disk on %s: needs %d GiB, has %d GiB free", h.Name, vm.DiskGiB, max(h.DiskGiB-h.usedDisk, 0))
	}
	if why := missingLabel(h, vm.Labels); why != "" {
		return why
	}
	if g := c.conflict(h, vm); g != "" {
		return fmt.Sprintf("holds a VM of %s, which %s must not share a host with", g, vm.Group)
	}
	if vm.SpreadBy != "" {
		if _, ok := h.Labels[vm.SpreadBy]; !ok {
			return fmt.Sprintf("has no %q label, which spread_by needs as the failure domain", vm.SpreadBy)
		}
	}
	return ""
}

// missingLabel names the first required label (by key) h lacks.
func missingLabel(h *hostState, want map[string]string) string {
	if len(want) == 0 {
		return ""
	}
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if got, ok := h.Labels[k]; !ok || got != want[k] {
			if !ok {
				return fmt.Sprintf("lacks the label %s = %q", k, want[k])
			}
			return fmt.Sprintf("has the label %s = %q, not %q", k, got, want[k])
		}
	}
	return ""
}

// conflict returns a group on h that vm must not share a host with, or "".
func (c *Cluster) conflict(h *hostState, vm VM) string {
	for _, g := range vm.Avoid {
		if h.groups[g] > 0 {
			return g
		}
	}
	for _, g := range c.avoidedBy[vm.Group] {
		if h.groups[g] > 0 {
			return g
		}
	}
	return ""
}

// constrained reports whether vm needs more than the CPU and memory checks
// BestFit's index makes.
func (c *Cluster) constrained(vm VM) bool {
	return vm.DiskGiB > 0 || len(vm.Labels) > 0 || len(vm.Avoid) > 0 || vm.SpreadBy != "" || len(c.avoidedBy[vm.Group]) > 0
}

// domain is the failure domain of h for vm: the host itself, or the value
// of its spread_by label.
func domain(h *hostState, vm VM) string {
	if vm.SpreadBy == "" || vm.SpreadBy == "host" {
		return h.Name
	}
	return h.Labels[vm.SpreadBy]
}
