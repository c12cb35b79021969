package sim

import (
	"fmt"

	"github.com/novacron/novacron/engine/driver"
)

var _ driver.Noter = (*Driver)(nil)

// Notes returns, once, what Close did that the user should hear of: the
// move of a version 1 cluster to the compact snapshot.
func (d *Driver) Notes() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := d.notes
	d.notes = nil
	return n
}

// noteMoved records the move of a version 1 cluster to the compact
// snapshot; Close calls it after the save, which no call runs beside.
func (d *Driver) noteMoved() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.notes = append(d.notes, fmt.Sprintf("Moved the simulated cluster sim.%s to the compact format: %s now holds it, and %s "+
		"(format version 1, the whole cluster) only names it (format version 2). NovaCron releases before the compact "+
		"snapshot refuse the cluster from now on.", d.name, d.files.snapshot, d.files.legacy))
}
