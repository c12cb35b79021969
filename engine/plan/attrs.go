package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"
	"strconv"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// desiredAttrs is what inst asks for. Its tags are the instance's: a
// loaded spec is never changed, nor a change's attributes, so 100,000
// creates hold no copy of them.
func desiredAttrs(inst *spec.Instance) *Attrs {
	f := inst.Fleet
	a := desiredView(inst, f.Provider.Key(), f.TemplateRef.ID())
	return &a
}

// desiredOf is desiredAttrs with the fleet's provider key and template ID
// made once per fleet (keysOf), not once per instance: 100,000 creates
// shared two strings instead of making 200,000.
func (d *differ) desiredOf(inst *spec.Instance) *Attrs {
	k := d.keysOf(inst.Fleet)
	a := desiredView(inst, k.provider, k.templateID)
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
func SpecHash(inst *spec.Instance) string { return specHash(inst, inst.Fleet.TemplateRef.ID()) }

// specHash is SpecHash with the fleet's template ID given. It hashes what
// fmt wrote before it ("%s|%s|%s|%d|%d|%d|%s|%s|", then "%q=%q," per tag
// in key order), built with appends.
func specHash(inst *spec.Instance, templateID string) string {
	b := make([]byte, 0, 256)
	for _, s := range [...]string{inst.Address, inst.Name, inst.Host} {
		b = append(append(b, s...), '|')
	}
	b = append(strconv.AppendInt(b, int64(inst.CPU), 10), '|')
	b = append(strconv.AppendInt(b, inst.MemoryMiB, 10), '|')
	b = append(strconv.AppendInt(b, int64(inst.DiskGB), 10), '|')
	b = append(append(b, inst.Power...), '|')
	b = append(append(b, templateID...), '|')
	for _, k := range slices.Sorted(maps.Keys(inst.Tags)) {
		b = append(strconv.AppendQuote(b, k), '=')
		b = append(strconv.AppendQuote(b, inst.Tags[k]), ',')
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

func (d *differ) marker(inst *spec.Instance) *driver.Marker {
	return &driver.Marker{Address: inst.Address, Lineage: d.lineage, SpecHash: specHash(inst, d.keysOf(inst.Fleet).templateID)}
}
