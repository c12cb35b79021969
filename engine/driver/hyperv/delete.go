package hyperv

import "context"

// Delete turns the VM off, removes it (Remove-VM) and deletes the disks
// attached to it that lie in its own folder: the differencing disks
// NovaCron made, never a template's VHDX (their parent) nor a disk the
// user attached from elsewhere. A VM no host has is already deleted.
func (d *Driver) Delete(ctx context.Context, id string) error {
	ok, err := d.checkID(id)
	if err != nil || !ok {
		return err
	}
	var res struct {
		Removed []string `json:"removed"`
	}
	return d.run(ctx, scriptDelete, "Remove-VM "+id, map[string]any{"hosts": d.hosts, "id": id}, &res)
}
