package plan

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/place"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// compare diffs a desired instance against its live VM.
func (d *differ) compare(inst *spec.Instance, vm *driver.VM, rec *state.VM) {
	if d.importing[inst.Address] == nil && d.unchanged(inst, vm, rec) {
		return
	}
	d.planChanges(inst, vm, rec)
}

// planChanges plans what makes a live VM what the spec wants.
func (d *differ) planChanges(inst *spec.Instance, vm *driver.VM, rec *state.VM) {
	f := inst.Fleet
	pk := f.Provider.Key()
	caps := d.in.Capabilities[pk]
	before := liveAttrs(pk, vm)
	if before.Template == "" && rec != nil {
		before.Template = rec.Template // the driver cannot tell; trust what was applied
	}
	after := wanted(inst, before)
	d.sameTemplateAs(inst, before, after)
	base := Change{Address: inst.Address, Fleet: f.Address(), ID: vm.ID, DependsOn: f.DependsOn}
	imp := d.importing[inst.Address]
	if imp != nil {
		d.add(d.importChange(inst, vm, imp, before))
	}
	if reasons := d.replaceReasons(inst, before, after, caps); len(reasons) > 0 {
		if imp != nil && !slices.Contains(d.in.Replace, inst.Address) {
			d.refuseImportReplace(inst, vm, imp, reasons)
			return
		}
		if before.Name != after.Name && d.nameConflict(inst, pk) {
			return
		}
		c := base
		c.Action, c.Before, c.After, c.Reasons = Replace, before, after, reasons
		c.After.Host = inst.Host // placement chooses unless pinned
		c.CreateBeforeDestroy = f.Lifecycle.CreateBeforeDestroy
		c.Template, c.Marker = f.TemplateRef, d.marker(inst)
		d.add(&c)
		return
	}
	if before.DiskGB == 0 {
		after.DiskGB = 0 // the driver cannot tell the disk's size: plan no change to it
	}
	if imp == nil && (rec == nil || rec.ID != vm.ID) { // found by marker; state names none or a vanished VM
		c := base
		c.Action, c.Before, c.After = Adopt, before, before.Clone()
		c.Reasons = []string{fmt.Sprintf("VM %s carries this address's ownership marker but is not in state (an apply was interrupted before saving it): adopt it, do not create it again", vm.ID)}
		if vm.Marker != nil && vm.Marker.Address != inst.Address { // its old address, before a moved block
			c.Imported, c.Marker, c.PreviousAddress = true, d.marker(inst), vm.Marker.Address
		}
		d.add(&c)
	}
	if after.Host != before.Host {
		c := base
		c.Action, c.Before, c.After = Migrate, before, before.Clone()
		c.After.Host = after.Host
		c.Live = caps.LiveMigrate && before.Power == driver.PowerRunning
		c.Reasons = []string{fmt.Sprintf("host pinned to %s; the VM runs on %s", after.Host, before.Host)}
		d.add(&c)
		before = c.After.Clone()
	}
	d.resize(base, before, after, hotLimits(caps, vm))
}

// sameTemplateAs gives before the template name and ID of after when the
// VM is made from the template the spec wants, though its ID is written
// otherwise (sameTemplate): the plan then shows and records the spec's
// sealed ID, never a plain-text or foreign one. When the VM is made from
// another template, the values its ID holds in plain text for settings the
// spec seals are sealed (sealedLive).
func (d *differ) sameTemplateAs(inst *spec.Instance, before, after *Attrs) {
	if before.Template != after.Template && before.Template != "" {
		before.Template = d.liveTemplate(inst.Fleet, before.Template, after.Template)
	}
	if before.Template == after.Template {
		before.TemplateName = after.TemplateName
	}
}

// liveTemplate is the ID a plan shows for a live template ID that differs
// from want, the fleet's: want when it is the same template, else the live
// one sealed. A fleet's VMs share their ID, so each pair is decided once.
func (d *differ) liveTemplate(f *spec.Fleet, live, want string) string {
	k := [2]string{live, want}
	if id, ok := d.liveTemplates[k]; ok {
		return id
	}
	id := want
	if !sameTemplate(f.TemplateRef, f.Provider.Type, d.lineage, live) {
		id = sealedLive(f.TemplateRef, f.Provider.Type, d.lineage, live)
	}
	if d.liveTemplates == nil {
		d.liveTemplates = map[[2]string]string{}
	}
	d.liveTemplates[k] = id
	return id
}

// unchanged reports whether planChanges would plan nothing for a VM the
// state records, as it would for most VMs of a plan: it makes the same
// checks on views of the attributes that borrow the tags, so an unchanged
// VM costs no allocation (TestUnchangedAgreesWithCompare holds the two to
// one answer).
func (d *differ) unchanged(inst *spec.Instance, vm *driver.VM, rec *state.VM) bool {
	if rec == nil || rec.ID != vm.ID {
		return false // found by its marker: an adopt
	}
	k := d.keysOf(inst.Fleet)
	before := liveView(k.provider, vm)
	if before.Template == "" {
		before.Template = rec.Template
	}
	after := desiredView(inst, k.provider, k.templateID)
	keepLive(inst, &before, &after)
	d.sameTemplateAs(inst, &before, &after)
	if len(d.replaceReasons(inst, &before, &after, d.in.Capabilities[k.provider])) > 0 {
		return false
	}
	if before.DiskGB == 0 {
		after.DiskGB = 0
	}
	return after.Host == before.Host && after.Power == before.Power && len(sizeReasons(&before, &after)) == 0
}

// fleetKeys are what the diff of each of a fleet's instances needs that
// is made of its fleet alone.
type fleetKeys struct{ provider, templateID, address string }

// keysOf returns the keys of fleet f, made once.
func (d *differ) keysOf(f *spec.Fleet) fleetKeys {
	k, ok := d.fleetKeys[f]
	if !ok {
		k = fleetKeys{provider: f.Provider.Key(), templateID: f.TemplateRef.ID(), address: f.Address()}
		if d.fleetKeys == nil {
			d.fleetKeys = map[*spec.Fleet]fleetKeys{}
		}
		d.fleetKeys[f] = k
	}
	return k
}

// wanted is the desired attributes with ignore_changes and an unpinned host
// taken from the live VM.
func wanted(inst *spec.Instance, before *Attrs) *Attrs {
	after := desiredAttrs(inst)
	keepLive(inst, before, after)
	if inst.Fleet.Lifecycle.Ignores("tags") {
		after.Tags = maps.Clone(before.Tags)
	}
	return after
}

// keepLive gives after the live VM's values (before's) that the spec does
// not decide: ignore_changes, an unpinned host, the template of a fleet
// that names none. Ignored tags are before's map itself.
func keepLive(inst *spec.Instance, before, after *Attrs) {
	if ref := inst.Fleet.TemplateRef; ref.Name == "" && len(ref.Config) == 0 {
		// A fleet that names no template (the provider's import, which
		// describes the VMs it adopts as they are) keeps the VM's.
		after.Template, after.TemplateName = before.Template, before.TemplateName
	}
	lc := inst.Fleet.Lifecycle
	if inst.Host == "" || lc.Ignores("host") {
		after.Host = before.Host
	}
	if lc.Ignores("cpu") {
		after.CPU = before.CPU
	}
	if lc.Ignores("memory_gb") {
		after.MemoryMiB = before.MemoryMiB
	}
	if lc.Ignores("disk_gb") {
		after.DiskGB = before.DiskGB
	}
	if lc.Ignores("power") {
		after.Power = before.Power
	}
	if lc.Ignores("tags") {
		after.Tags = before.Tags
	}
}

func (d *differ) replaceReasons(inst *spec.Instance, before, after *Attrs, caps driver.Capabilities) []string {
	var r []string
	if before.Name != after.Name {
		r = append(r, fmt.Sprintf("name changes from %q to %q: a VM is renamed by replacing it", before.Name, after.Name))
	}
	if before.Template != "" && before.Template != after.Template {
		r = append(r, fmt.Sprintf("template %s changes from %s to %s", after.TemplateName, before.Template, after.Template))
	}
	if after.DiskGB < before.DiskGB { // an unknown size (0) is never larger
		r = append(r, fmt.Sprintf("disk shrinks from %d GB to %d GB: a disk cannot shrink in place", before.DiskGB, after.DiskGB))
	}
	if after.Host != before.Host && !caps.Migrate {
		r = append(r, fmt.Sprintf("host changes from %s to %s and provider %s cannot migrate", before.Host, after.Host, after.Provider))
	}
	if slices.Contains(d.in.Replace, inst.Address) {
		r = append(r, "replacement requested with -replace")
	}
	return r
}

// resize plans an update, or a start or stop when only power differs.
func (d *differ) resize(base Change, before, after *Attrs, hot hot) {
	reasons := sizeReasons(before, after)
	if len(reasons) == 0 && before.Power == after.Power {
		return
	}
	c := base
	c.Before, c.After = before, after
	if len(reasons) == 0 {
		c.Action = Start
		if after.Power == driver.PowerStopped {
			c.Action = Stop
		}
		c.Reasons = []string{fmt.Sprintf("power is %s; the spec wants %s", before.Power, after.Power)}
		d.add(&c)
		return
	}
	if before.Power != after.Power {
		reasons = append(reasons, fmt.Sprintf("power %s → %s", before.Power, after.Power))
	}
	c.Action, c.Reasons = Update, reasons
	c.Restart = needsRestart(before, after, hot)
	d.add(&c)
}

func sizeReasons(before, after *Attrs) []string {
	var r []string
	if before.CPU != after.CPU {
		r = append(r, fmt.Sprintf("cpu %d → %d", before.CPU, after.CPU))
	}
	if before.MemoryMiB != after.MemoryMiB {
		r = append(r, fmt.Sprintf("memory %s → %s", place.FormatMiB(before.MemoryMiB), place.FormatMiB(after.MemoryMiB)))
	}
	if before.DiskGB != after.DiskGB {
		r = append(r, fmt.Sprintf("disk %d GB → %d GB", before.DiskGB, after.DiskGB))
	}
	if t := tagChanges(before.Tags, after.Tags); t != "" {
		r = append(r, "tags: "+t)
	}
	return r
}

func tagChanges(before, after map[string]string) string {
	if maps.Equal(before, after) {
		return "" // the common case, without sorting the keys
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(after)) {
		if old, ok := before[k]; !ok {
			parts = append(parts, "+"+k)
		} else if old != after[k] {
			parts = append(parts, "~"+k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(before)) {
		if _, ok := after[k]; !ok {
			parts = append(parts, "-"+k)
		}
	}
	return strings.Join(parts, ", ")
}

// hot is how far a running VM can grow without a restart: cpu and mib are
// ceilings (0: none), and ok says whether the driver can grow it at all.
type hot struct {
	cpuOK, memOK, diskOK bool
	cpu                  int
	mib                  int64
}

func hotLimits(caps driver.Capabilities, vm *driver.VM) hot {
	return hot{cpuOK: caps.HotAddCPU, memOK: caps.HotAddMemory, diskOK: caps.OnlineDiskGrow, cpu: vm.MaxCPU, mib: vm.MaxMemoryMiB}
}

// needsRestart reports whether a running VM must restart for the change:
// to shrink, to grow where the driver cannot hot-add, or to grow past the
// VM's hot-add ceiling.
func needsRestart(before, after *Attrs, h hot) bool {
	if before.Power != driver.PowerRunning || after.Power != driver.PowerRunning {
		return false // a stopped VM changes without a restart
	}
	cpuUp := after.CPU > before.CPU && (!h.cpuOK || (h.cpu > 0 && after.CPU > h.cpu))
	memUp := after.MemoryMiB > before.MemoryMiB && (!h.memOK || (h.mib > 0 && after.MemoryMiB > h.mib))
	disk := after.DiskGB > before.DiskGB && !h.diskOK
	return after.CPU < before.CPU || after.MemoryMiB < before.MemoryMiB || cpuUp || memUp || disk
}
