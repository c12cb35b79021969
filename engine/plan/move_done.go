package plan

import (
	"fmt"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// moveDone finishes a move to another provider that an apply made the new
// VM of and did not save: the state records the VM on rec's provider, and
// the fleet's provider has a VM carrying the address's marker (a burst VM
// coming home made before it is destroyed, killed before the save). The
// new VM is adopted, as a VM found by its marker at home is, and the one
// the state records is deleted: the move completes instead of leaving
// both running, the new one unmanaged. The delete goes first (phase), so
// that it forgets only the record of the VM it deletes.
func (d *differ) moveDone(inst *spec.Instance, vm *driver.VM, rec *state.VM) {
	d.compare(inst, vm, nil) // nil: adopted, though another provider may use the same id
	why := fmt.Sprintf("the move to %s was interrupted after VM %s was made there (it carries this address's ownership marker and is adopted): the VM the state records on %s is deleted",
		inst.Fleet.Provider.Key(), vm.ID, rec.Provider)
	old := d.live[rec.Provider]
	if old == nil {
		return // its inventory was not read: indexLive reported it
	}
	k, ok := old.find(rec.ID)
	if !ok {
		return // already gone: the adopt records the new VM
	}
	old.claimed[k] = true
	d.add(d.deleteChange(inst.Address, inst.Fleet.Address(), rec.Provider, old.vm(k), rec, why))
}
