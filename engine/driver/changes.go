package driver

import (
	"maps"
	"slices"
)

// Apply returns vm with every field ch sets replaced. The result shares no
// memory with vm or ch (tags, addresses and the marker are copied), so a
// driver can keep it. It checks nothing: what a VM may become, and what
// needs a restart, is each driver's to decide.
func (ch Changes) Apply(vm VM) VM {
	next := vm
	next.Tags = maps.Clone(vm.Tags)
	next.Addresses = slices.Clone(vm.Addresses)
	next.Marker = cloneMarker(vm.Marker)
	if ch.CPU != nil {
		next.CPU = *ch.CPU
	}
	if ch.MemoryMiB != nil {
		next.MemoryMiB = *ch.MemoryMiB
	}
	if ch.DiskGB != nil {
		next.DiskGB = *ch.DiskGB
	}
	if ch.Power != nil {
		next.Power = *ch.Power
	}
	if ch.Tags != nil {
		next.Tags = maps.Clone(ch.Tags)
	}
	if ch.Marker != nil {
		next.Marker = cloneMarker(ch.Marker)
	}
	if ch.ClearMarker {
		next.Marker = nil
	}
	return next
}

func cloneMarker(m *Marker) *Marker {
	if m == nil {
		return nil
	}
	c := *m
	return &c
}
