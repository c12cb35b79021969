package hyperv

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"

	"github.com/novacron/novacron/engine/driver"
)

// Update changes a VM in place with the update script: Stop-VM when the
// change needs the VM off (graceful, then -TurnOff after
// shutdown_timeout), Set-VMProcessor, Set-VMMemory, Resize-VHD (online: a
// generation 2 VM's disk is on SCSI), Set-VM -Notes for the record, and
// Start-VM. Changing the processor count or memory of a running VM needs
// ch.Restart.
func (d *Driver) Update(ctx context.Context, id string, ch driver.Changes) (driver.VM, error) {
	r, err := d.fetch(ctx, id)
	if err != nil {
		return driver.VM{}, err
	}
	cur := r.vm()
	next := ch.Apply(cur)
	if err := checkChange(cur, next, r.VHD); err != nil {
		return driver.VM{}, err
	}
	reason := restartReason(cur, next, d.cfg.memoryHot)
	if reason != "" && !ch.Restart {
		return driver.VM{}, permanent("%s of running VM %q needs a restart: Hyper-V changes processors only while the VM is off, and memory of a running VM only grows, where the guest takes it (memory_hot_resize)", reason, cur.Name)
	}
	p := d.updateParams(r, cur, next, reason != "")
	what := fmt.Sprintf("updating VM %s on %s", cur.Name, r.Host)
	var out vmRec
	if err := d.run(ctx, scriptUpdate, what, p, &out); err != nil {
		return driver.VM{}, d.restartAfter(ctx, r, p, cur, next, hotHint(err, reason == "" && next.MemoryMiB != cur.MemoryMiB))
	}
	return out.vm(), nil
}

// checkChange refuses what the VM cannot become.
func checkChange(cur, next driver.VM, vhd string) error {
	if err := checkSize(cur.Name, next.CPU, next.MemoryMiB); err != nil {
		return err
	}
	switch {
	case next.DiskGB < cur.DiskGB:
		return permanent("cannot shrink the disk of VM %q from %d GB to %d GB: disks only grow (replace the VM to get a smaller one)", cur.Name, cur.DiskGB, next.DiskGB)
	case next.DiskGB > cur.DiskGB && vhd == "":
		return permanent("cannot grow the disk of VM %q: it has no virtual hard disk", cur.Name)
	case !next.Power.Valid():
		return permanent("power must be %q or %q, not %q", driver.PowerRunning, driver.PowerStopped, next.Power)
	}
	return nil
}

// restartReason says why a running VM must stop for the change, or "":
// any processor change; a memory change, unless it grows and the guests
// take runtime resize (memoryHot).
func restartReason(cur, next driver.VM, memoryHot bool) string {
	if cur.Power != driver.PowerRunning || next.Power != driver.PowerRunning {
		return ""
	}
	switch {
	case next.CPU != cur.CPU:
		return fmt.Sprintf("changing the processor count from %d to %d", cur.CPU, next.CPU)
	case next.MemoryMiB < cur.MemoryMiB || (next.MemoryMiB > cur.MemoryMiB && !memoryHot):
		return fmt.Sprintf("changing the memory from %d MiB to %d MiB", cur.MemoryMiB, next.MemoryMiB)
	}
	return ""
}

// updateParams are the update script's parameters: what to stop, set and
// start; zero values leave a thing alone.
func (d *Driver) updateParams(r *vmRec, cur, next driver.VM, restart bool) map[string]any {
	running := cur.Power == driver.PowerRunning
	stop := running && (restart || next.Power == driver.PowerStopped)
	p := map[string]any{
		"id": r.ID, "host": r.Host, "stop": stop, "grace": int(d.cfg.shutdown.Seconds()),
		"start": next.Power == driver.PowerRunning && (stop || !running),
	}
	if next.CPU != cur.CPU {
		p["cpu"] = next.CPU
	}
	if next.MemoryMiB != cur.MemoryMiB {
		p["mem"] = next.MemoryMiB * mib
	}
	if next.DiskGB > cur.DiskGB {
		p["disk"], p["vhd"] = int64(next.DiskGB)*gib, r.VHD
	}
	user, rec, _ := readNotes(r.Notes)
	want := rec
	want.Tags = maps.Clone(next.Tags)
	want.setMarker(next.Marker)
	if notes := writeNotes(user, want); notes != r.Notes {
		p["notes"] = map[string]string{"text": notes}
	}
	return p
}

// restartAfter starts a VM the failed update stopped, then returns the
// update's error err, which keeps its kind.
func (d *Driver) restartAfter(ctx context.Context, r *vmRec, p map[string]any, cur, next driver.VM, err error) error {
	if p["stop"] != true || next.Power != driver.PowerRunning {
		return err
	}
	var out vmRec
	start := map[string]any{"id": r.ID, "host": r.Host, "start": true}
	if serr := d.run(ctx, scriptUpdate, "starting VM "+cur.Name+" again", start, &out); serr != nil {
		return errors.Join(err, fmt.Errorf("the VM was stopped for the update and could not be started again: %w", serr))
	}
	return fmt.Errorf("%w (VM %q was started again)", err, cur.Name)
}

// hotHint adds to a Set-VMMemory a running guest refused (hot: the update
// counted on memory_hot_resize) which setting promised it.
func hotHint(err error, hot bool) error {
	if !hot || !strings.Contains(err.Error(), "Set-VMMemory") {
		return err
	}
	return driver.Wrap(driver.KindPermanent, fmt.Errorf("%w (memory_hot_resize = true promises that the guests take a runtime memory resize, and this one does not: set memory_hot_resize = false, and the plan restarts the VM for the change)", err))
}
