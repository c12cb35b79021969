package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

func desiredAttrs(inst *spec.Instance) *Attrs {
	f := inst.Fleet
	a := desiredView(inst, f.Provider.Key(), f.TemplateRef.ID())
	a.Tags = maps.Clone(a.Tags)
	return &a
}

// desiredView is desiredAttrs with the provider key and template ID given
// (a fleet's instances share them) and the instance's tags borrowed, not
// copied: for comparing, never for a change.
func desiredView(inst *spec.Instance, provider, templateID string) Attrs {
	return Attrs{
		Provider: provider, Name: inst.Name, Host: inst.Host,
		CPU: inst.CPU, MemoryMiB: inst.MemoryMiB, DiskGB: inst.DiskGB, Power: inst.Power,
		Template: templateID, TemplateName: inst.Fleet.TemplateRef.Name, Tags: inst.Tags,
	}
}

func liveAttrs(provider string, vm *driver.VM) *Attrs {
	a := liveView(provider, vm)
	a.Tags = nonNil(maps.Clone(a.Tags))
	return &a
}

// liveView is liveAttrs with the VM's tags borrowed, not copied: for
// comparing, never for a change.
func liveView(provider string, vm *driver.VM) Attrs {
	return Attrs{
		Provider: provider, Name: vm.Name, Host: vm.Host,
		CPU: vm.CPU, MemoryMiB: vm.MemoryMiB, DiskGB: vm.DiskGB, Power: vm.Power,
		Template: vm.Template, Tags: vm.Tags,
	}
}

// StateAttrs are the attributes the state records for a VM.
func StateAttrs(rec *state.VM) *Attrs { return stateAttrs(rec) }

func stateAttrs(rec *state.VM) *Attrs {
	return &Attrs{
		Provider: rec.Provider, Name: rec.Name, Host: rec.Host,
		CPU: rec.CPU, MemoryMiB: rec.MemoryMiB, DiskGB: rec.DiskGB, Power: driver.Power(rec.Power),
		Template: rec.Template, Tags: nonNil(maps.Clone(rec.Tags)),
	}
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// Clone returns a deep copy.
func (a *Attrs) Clone() *Attrs {
	c := *a
	c.Tags = maps.Clone(a.Tags)
	return &c
}

// SpecHash is a short hash of an instance's desired attributes, written in
// the marker of the VM made from it.
func SpecHash(inst *spec.Instance) string {
	h := sha256.New()
	f := inst.Fleet
	fmt.Fprintf(h, "%s|%s|%s|%d|%d|%d|%s|%s|", inst.Address, inst.Name, inst.Host,
		inst.CPU, inst.MemoryMiB, inst.DiskGB, inst.Power, f.TemplateRef.ID())
	for _, k := range slices.Sorted(maps.Keys(inst.Tags)) {
		fmt.Fprintf(h, "%q=%q,", k, inst.Tags[k])
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func (d *differ) marker(inst *spec.Instance) *driver.Marker {
	return &driver.Marker{Address: inst.Address, Lineage: d.lineage, SpecHash: SpecHash(inst)}
}
