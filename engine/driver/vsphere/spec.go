package vsphere

import (
	"strings"

	"github.com/novacron/novacron/engine/driver"
)

// Limits of a vSphere VM (hardware version 21).
const (
	maxVCPUs = 768
	maxName  = 80
)

// checkSpec checks what Create is asked to make and returns its template.
func checkSpec(spec driver.VMSpec) (template, error) {
	t := readTemplate(spec.Template)
	switch {
	case spec.Name == "" || len(spec.Name) > maxName || strings.ContainsAny(spec.Name, `/\%`) || strings.TrimSpace(spec.Name) != spec.Name:
		return t, driver.Errorf(driver.KindPermanent,
			"VM name %q cannot name a vSphere VM: use 1 to %d characters, without '/', '\\', '%%' or leading and trailing spaces", spec.Name, maxName)
	case spec.CPU < 1 || spec.CPU > maxVCPUs:
		return t, driver.Errorf(driver.KindPermanent, "VM %q asks for %d vCPUs; a vSphere VM has 1 to %d", spec.Name, spec.CPU, maxVCPUs)
	case spec.MemoryMiB < 4 || spec.MemoryMiB%4 != 0:
		return t, driver.Errorf(driver.KindPermanent, "VM %q asks for %d MiB of memory; vSphere needs a multiple of 4 MiB", spec.Name, spec.MemoryMiB)
	case spec.DiskGB < 0:
		return t, driver.Errorf(driver.KindPermanent, "VM %q asks for a %d GB disk", spec.Name, spec.DiskGB)
	case !spec.Power.Valid():
		return t, driver.Errorf(driver.KindPermanent, "VM %q asks for power %q; use %q or %q", spec.Name, spec.Power, driver.PowerRunning, driver.PowerStopped)
	case t.vm == "":
		return t, driver.Errorf(driver.KindPermanent, "template %q has no vsphere mapping: set vm in its vsphere block to a VM template", t.name)
	}
	return t, nil
}

// checkClone checks the spec against the template VM it clones.
func checkClone(spec driver.VMSpec, t template, src *source) error {
	size := src.diskGB()
	switch {
	case t.linked && src.snapshot == nil:
		return driver.Errorf(driver.KindPermanent,
			"template %q sets linked_clone, but VM template %q has no snapshot to share: take one (a linked clone's disk is a child of the template's current snapshot) or set linked_clone = false", t.name, src.name)
	case spec.DiskGB > 0 && src.disk == nil:
		return driver.Errorf(driver.KindPermanent, "VM %q asks for a %d GB disk, but template VM %q has no disk to grow", spec.Name, spec.DiskGB, src.name)
	case spec.DiskGB > 0 && spec.DiskGB < size:
		return driver.Errorf(driver.KindPermanent,
			"VM %q asks for a %d GB disk, smaller than the disk of template VM %q (%d GB): set disk_gb to at least %d", spec.Name, spec.DiskGB, src.name, size, size)
	case t.linked && spec.DiskGB > size:
		return driver.Errorf(driver.KindPermanent,
			"VM %q asks for a %d GB disk, but a linked clone of template VM %q keeps its %d GB disk: set disk_gb to %d, or linked_clone = false", spec.Name, spec.DiskGB, src.name, size, size)
	}
	return nil
}
