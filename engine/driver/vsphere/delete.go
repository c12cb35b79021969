package vsphere

import (
	"context"
	"errors"

	"github.com/novacron/novacron/engine/driver"
)

// Delete powers a VM off and destroys it with its disks. Deleting a VM
// that does not exist, or an ID that cannot be a VM's, succeeds.
func (d *Driver) Delete(ctx context.Context, id string) error {
	m, err := d.fetch(ctx, id)
	if errors.Is(err, driver.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return d.destroy(ctx, m.Self, m.Name)
}
