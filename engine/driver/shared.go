package driver

import "context"

// SharedLister is implemented by a driver that can list its inventory
// without copying it for each call: SharedInventory returns what Inventory
// would, but its VMs (their tags, markers and addresses) may be memory the
// driver and earlier calls share, so the caller must never change them.
// The driver never changes them either: a later mutation makes its own
// copies. A plan reads inventories this way (ReadShared), since its diff
// only compares them; a caller that keeps or changes what it lists calls
// Inventory, which shares nothing.
type SharedLister interface {
	SharedInventory(ctx context.Context) (Inventory, error)
}

// ReadShared lists d's inventory with SharedInventory where d implements
// SharedLister, else with Inventory. The caller must not change it.
func ReadShared(ctx context.Context, d Driver) (Inventory, error) {
	if s, ok := d.(SharedLister); ok {
		return s.SharedInventory(ctx)
	}
	return d.Inventory(ctx)
}
