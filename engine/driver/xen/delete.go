package xen

import (
	"context"
	"slices"

	"github.com/novacron/novacron/engine/driver"
)

// Delete shuts the VM down hard and destroys it with its disks: the VDIs
// of its Disk VBDs that no other VM uses (CD/ISO images and shared disks
// stay). A VM that does not exist is deleted already.
func (d *Driver) Delete(ctx context.Context, id string) error {
	ref, r, err := d.vmRef(ctx, id)
	if driver.KindOf(err) == driver.KindNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	return d.destroy(ctx, ref, r.NameLabel)
}

// destroy removes a VM (or a half-made clone) and the disks only it uses.
func (d *Driver) destroy(ctx context.Context, ref, name string) error {
	r, err := d.record(ctx, ref)
	if driver.KindOf(err) == driver.KindNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if r.running() {
		if err := d.hardStop(ctx, ref, name); err != nil {
			return err
		}
	}
	disks, err := d.disks(ctx, r)
	if err != nil {
		return err
	}
	if _, err := d.async(ctx, "VM.destroy", ref); err != nil && kindOf(err) != driver.KindNotFound {
		return fail(err, "destroying VM %q", name)
	}
	for _, dk := range disks {
		if !owned(dk, r.VBDs) {
			continue
		}
		if _, err := d.async(ctx, "VDI.destroy", dk.vdiRef); err != nil && kindOf(err) != driver.KindNotFound {
			return fail(err, "destroying disk %s of VM %q (the VM is gone)", dk.vdi.UUID, name)
		}
	}
	return nil
}

// owned reports a disk VDI that only the VM's own VBDs use, and that is
// not read-only (an image others may boot from).
func owned(dk disk, vbds []string) bool {
	if dk.vbd.Type != "Disk" || dk.vdiRef == "" || dk.vdiRef == nullRef || dk.vdi.ReadOnly {
		return false
	}
	for _, b := range dk.vdi.VBDs {
		if !slices.Contains(vbds, b) {
			return false
		}
	}
	return true
}
