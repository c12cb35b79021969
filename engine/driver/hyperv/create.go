package hyperv

import (
	"context"
	"errors"
	"fmt"

	"github.com/novacron/novacron/engine/driver"
)

// Limits of a generation 2 VM (Windows Server 2016 and later).
const (
	maxVCPUs     = 240
	minMemoryMiB = 32
)

// Create makes a generation 2 VM with a differencing disk whose parent is
// the template's VHDX, on the pinned host or the first, with the marker in
// its Notes from the first step (New-VM | Set-VM -Notes): a VM NovaCron
// made always carries it. A failure after New-VM removes the VM and its
// disk again.
func (d *Driver) Create(ctx context.Context, spec driver.VMSpec) (driver.VM, error) {
	if err := d.CheckCreate(ctx, spec); err != nil {
		return driver.VM{}, err
	}
	host, params := d.createParams(spec)
	var r vmRec
	if err := d.run(ctx, scriptCreate, fmt.Sprintf("New-VM %s on %s", spec.Name, host), params, &r); err != nil {
		return driver.VM{}, notAgain(err)
	}
	return r.vm(), nil
}

// notAgain makes a template missing on the VM's host a permanent error
// naming vhdx, and makes permanent a transient error of a create script that was
// stopped or lost after it began: a retry could make a second VM, while
// the one this run may have made carries its marker (with Creating), so
// the next plan finds and replaces it.
func notAgain(err error) error {
	if driver.KindOf(err) == driver.KindNotFound { // the host lacks the template
		return driver.Wrap(driver.KindPermanent, fmt.Errorf("%w (the template VHDX must be on every host, or on storage they share: check vhdx in the template's hyperv block)", err))
	}
	var s started
	if !errors.As(err, &s) || driver.KindOf(err) != driver.KindTransient {
		return err
	}
	return driver.Wrap(driver.KindPermanent, fmt.Errorf("%w; the VM may have been made: the next plan finds it by the marker in its Notes and replaces it", err))
}

// createParams are the create script's parameters, on the pinned host or
// the first.
func (d *Driver) createParams(spec driver.VMSpec) (string, map[string]any) {
	host := spec.Host
	if host == "" {
		host = d.hosts[0]
	}
	rec := newRecord(spec)
	creating := rec
	creating.Creating = true
	return host, map[string]any{
		"host": host, "name": spec.Name, "path": d.cfg.path, "switch": d.cfg.vswitch,
		"vhdx": spec.Template.Config.String(tmplVHDX), "cpu": spec.CPU, "mem": spec.MemoryMiB * mib,
		"disk": int64(spec.DiskGB) * gib, "notes": writeNotes("", creating), "done": writeNotes("", rec),
		"start": spec.Power != driver.PowerStopped, "sb": spec.Template.Config.String(tmplSecureBoot),
	}
}

// CheckCreate refuses, before anything is made, a VM Hyper-V would not
// take: an unknown host, a size out of range, names and tags too long for
// a Windows command line, a template VHDX the host does not have or
// larger than the disk asked for.
func (d *Driver) CheckCreate(ctx context.Context, spec driver.VMSpec) error {
	if spec.Host != "" && !d.knownHost(spec.Host) {
		return permanent("host %q is not a host of provider %q: pin one of %s, or add it to hosts", spec.Host, d.name, listOr(d.hosts, ""))
	}
	if err := checkSize(spec.Name, spec.CPU, spec.MemoryMiB); err != nil {
		return err
	}
	if !spec.Power.Valid() && spec.Power != "" {
		return permanent("power must be %q or %q, not %q", driver.PowerRunning, driver.PowerStopped, spec.Power)
	}
	_, params := d.createParams(spec)
	if _, err := command(scriptCreate, fmt.Sprintf("VM %q", spec.Name), params); err != nil {
		return err
	}
	size, err := d.templateSize(ctx, spec.Template)
	if err != nil {
		return err
	}
	if int64(spec.DiskGB)*gib < size {
		return permanent("template %q: its VHDX %s is %d GiB, more than disk_gb = %d: a differencing disk cannot be smaller than its parent (set disk_gb to at least %d)",
			spec.Template.Name, spec.Template.Config.String(tmplVHDX), size/gib, spec.DiskGB, (size+gib-1)/gib)
	}
	return nil
}

// checkSize refuses vCPUs and memory a generation 2 VM cannot have.
func checkSize(name string, cpu int, memoryMiB int64) error {
	switch {
	case cpu < 1 || cpu > maxVCPUs:
		return permanent("VM %q cannot have %d vCPUs; a Hyper-V VM has 1 to %d", name, cpu, maxVCPUs)
	case memoryMiB < minMemoryMiB || memoryMiB%2 != 0:
		return permanent("VM %q cannot have %d MiB of memory; Hyper-V needs at least %d MiB, in multiples of 2 MiB", name, memoryMiB, minMemoryMiB)
	}
	return nil
}

// templateSize reads the size of a template's VHDX on the first host,
// once per path.
func (d *Driver) templateSize(ctx context.Context, t driver.TemplateRef) (int64, error) {
	path := t.Config.String(tmplVHDX)
	d.mu.Lock()
	size, ok := d.templates[path]
	d.mu.Unlock()
	if ok {
		return size, nil
	}
	var res struct {
		Size int64 `json:"size"`
	}
	params := map[string]any{"host": d.hosts[0], "vhdx": path}
	if err := d.run(ctx, scriptTemplate, fmt.Sprintf("template %q", t.Name), params, &res); err != nil {
		if driver.KindOf(err) == driver.KindNotFound {
			return 0, permanent("%v (set vhdx in the template's hyperv block to a VHDX path the hosts have)", err)
		}
		return 0, err
	}
	d.mu.Lock()
	d.templates[path] = res.Size
	d.mu.Unlock()
	return res.Size, nil
}
