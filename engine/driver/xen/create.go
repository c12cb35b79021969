package xen

import (
	"context"
	"fmt"
	"time"

	"github.com/novacron/novacron/engine/driver"
)

// cleanupTimeout bounds the removal of a half-made VM, which runs after
// the caller's context may have ended.
const cleanupTimeout = 5 * time.Minute

// Create clones the template (VM.clone, or VM.copy to sr), writes the
// marker, template and tags into other_config while the clone is still a
// template (so no VM is ever seen without its marker), provisions it,
// makes it a VM, sizes it, plugs it into network, pins it to its host
// (affinity) and starts it there; its last step removes keyCreating,
// written with the marker. When a step after the clone fails, the clone
// and its disks are destroyed; a clone left behind all the same (the run
// killed, the server gone) keeps keyCreating, and the next plan replaces
// it.
func (d *Driver) Create(ctx context.Context, spec driver.VMSpec) (driver.VM, error) {
	t, err := d.template(ctx, spec.Template)
	if err != nil {
		return driver.VM{}, err
	}
	if err := checkSize(t, spec); err != nil {
		return driver.VM{}, err
	}
	host, err := d.chooseHost(ctx, spec.Host)
	if err != nil {
		return driver.VM{}, err
	}
	ref, err := d.clone(ctx, t, spec.Name)
	if err != nil {
		return driver.VM{}, err
	}
	if err := d.build(ctx, ref, t, host, spec); err != nil {
		cctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
		defer cancel()
		if cerr := d.destroy(cctx, ref, spec.Name); cerr != nil {
			// One line: progress lines escape a newline.
			return driver.VM{}, fmt.Errorf("%w; the half-made VM %q could not be removed (it keeps its marker, and the next plan replaces it): %w", err, spec.Name, cerr)
		}
		return driver.VM{}, err
	}
	return d.read(ctx, ref)
}

// clone copies the template to a new template named name.
func (d *Driver) clone(ctx context.Context, t *template, name string) (string, error) {
	if d.srRef != "" {
		ref, err := d.async(ctx, "VM.copy", t.ref, name, d.srRef)
		return ref, fail(err, "copying template %q to sr %q", t.rec.NameLabel, d.cfg.sr)
	}
	ref, err := d.async(ctx, "VM.clone", t.ref, name)
	return ref, fail(err, "cloning template %q", t.rec.NameLabel)
}

// build turns a fresh clone into the VM spec asks for; its last step
// clears keyCreating, set with the marker.
func (d *Driver) build(ctx context.Context, ref string, t *template, host string, spec driver.VMSpec) error {
	if err := d.shape(ctx, ref, t, host, spec); err != nil {
		return err
	}
	err := d.c.call(ctx, "VM.remove_from_other_config", nil, ref, keyCreating)
	return fail(err, "finishing the create of VM %q", spec.Name)
}

// shape writes the marker (with keyCreating) on a fresh clone, then
// provisions, sizes, plugs, pins and starts it.
func (d *Driver) shape(ctx context.Context, ref string, t *template, host string, spec driver.VMSpec) error {
	oc := withOurs(t.rec.OtherConfig, ours(&spec.Marker, spec.Template.ID(), spec.Tags))
	oc[keyCreating] = "true"
	if err := d.c.call(ctx, "VM.set_other_config", nil, ref, oc); err != nil {
		return fail(err, "writing the marker of VM %q", spec.Name)
	}
	if _, err := d.async(ctx, "VM.provision", ref); err != nil {
		return fail(err, "provisioning VM %q", spec.Name)
	}
	if err := d.c.call(ctx, "VM.set_is_a_template", nil, ref, false); err != nil {
		return fail(err, "making VM %q of its template", spec.Name)
	}
	if err := d.setCPU(ctx, ref, spec.Name, int(t.rec.VCPUsAtStartup), spec.CPU, max(spec.CPU, d.cfg.maxCPU)); err != nil {
		return err
	}
	smin := min(int64(t.rec.MemoryStaticMin), spec.MemoryMiB*mib)
	if err := d.setMemory(ctx, ref, spec.Name, smin, spec.MemoryMiB, max(spec.MemoryMiB, d.cfg.maxMemoryMiB)); err != nil {
		return err
	}
	if err := d.growDisk(ctx, ref, spec.Name, spec.DiskGB); err != nil {
		return err
	}
	if err := d.plug(ctx, ref, spec.Name); err != nil {
		return err
	}
	if err := d.c.call(ctx, "VM.set_affinity", nil, ref, host); err != nil {
		return fail(err, "pinning VM %q to host %s", spec.Name, d.hostName(host))
	}
	if spec.Power == driver.PowerStopped {
		return nil
	}
	return d.start(ctx, ref, spec.Name, host)
}

// setCPU sets VCPUs_max and VCPUs_at_startup of a halted VM, in the order
// XAPI accepts (at_startup never above max).
func (d *Driver) setCPU(ctx context.Context, ref, name string, cur, cpu, maxCPU int) error {
	steps := []string{"VM.set_VCPUs_max", "VM.set_VCPUs_at_startup"}
	vals := []int{maxCPU, cpu}
	if maxCPU < cur {
		steps[0], steps[1], vals[0], vals[1] = steps[1], steps[0], vals[1], vals[0]
	}
	for i, m := range steps {
		if err := d.c.call(ctx, m, nil, ref, vals[i]); err != nil {
			return fail(err, "setting the vCPUs of VM %q to %d (at most %d)", name, cpu, maxCPU)
		}
	}
	return nil
}

// setMemory sets the memory limits of a halted VM: dynamic min and max at
// the size, static max at the ceiling.
func (d *Driver) setMemory(ctx context.Context, ref, name string, staticMin, miB, ceilMiB int64) error {
	err := d.c.call(ctx, "VM.set_memory_limits", nil, ref, staticMin, ceilMiB*mib, miB*mib, miB*mib)
	return fail(err, "setting the memory of VM %q to %d MiB (at most %d MiB)", name, miB, ceilMiB)
}

// growDisk grows the VM's first disk to gb (GiB), when it is smaller.
func (d *Driver) growDisk(ctx context.Context, ref, name string, gb int) error {
	if gb == 0 {
		return nil
	}
	r, err := d.record(ctx, ref)
	if err != nil {
		return err
	}
	disks, err := d.disks(ctx, r)
	if err != nil {
		return err
	}
	first, ok := firstDisk(disks)
	if !ok || int64(first.vdi.VirtualSize) >= int64(gb)*gib {
		return nil
	}
	_, err = d.async(ctx, "VDI.resize", first.vdiRef, int64(gb)*gib)
	return fail(err, "growing the disk of VM %q to %d GB", name, gb)
}

// plug replaces the clone's interfaces with one on network, when set.
func (d *Driver) plug(ctx context.Context, ref, name string) error {
	if d.netRef == "" {
		return nil
	}
	r, err := d.record(ctx, ref)
	if err != nil {
		return err
	}
	for _, v := range r.VIFs {
		if err := d.c.call(ctx, "VIF.destroy", nil, v); err != nil {
			return fail(err, "removing the template's interface of VM %q", name)
		}
	}
	vif := map[string]any{
		"device": "0", "network": d.netRef, "VM": ref, "MAC": "", "MTU": 1500,
		"other_config": map[string]string{}, "qos_algorithm_type": "", "qos_algorithm_params": map[string]string{},
	}
	err = d.c.call(ctx, "VIF.create", nil, vif)
	return fail(err, "plugging VM %q into network %q", name, d.cfg.network)
}
