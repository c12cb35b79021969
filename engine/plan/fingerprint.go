package plan

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/state"
)

// Fingerprint hashes every live VM the workspace owns (by marker) or
// records in state. A saved plan remembers it; if it differs at apply time,
// the VMs changed since the plan was made and the plan is stale.
func Fingerprint(inventories map[string]driver.Inventory, lineage string, st *state.State) string {
	inState := map[string]bool{}
	if st != nil {
		for _, rec := range st.VMs {
			inState[rec.Provider+"\x00"+rec.ID] = true
		}
	}
	h := sha256.New()
	for _, pk := range slices.Sorted(maps.Keys(inventories)) {
		vms := slices.Clone(inventories[pk].VMs)
		slices.SortFunc(vms, func(a, b driver.VM) int { return cmp.Compare(a.ID, b.ID) })
		for i := range vms {
			vm := &vms[i]
			if !inState[pk+"\x00"+vm.ID] && !owned(vm, pk, lineage, st) {
				continue
			}
			writeVM(h, pk, vm)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func writeVM(h interface{ Write([]byte) (int, error) }, pk string, vm *driver.VM) {
	fmt.Fprintf(h, "%s|%s|%s|%s|%d|%d|%d|%s|%s|", pk, vm.ID, vm.Name, vm.Host, vm.CPU, vm.MemoryMiB, vm.DiskGB, vm.Power, vm.Template)
	for _, k := range slices.Sorted(maps.Keys(vm.Tags)) {
		fmt.Fprintf(h, "%q=%q,", k, vm.Tags[k])
	}
	if m := vm.Marker; m != nil {
		fmt.Fprintf(h, "|%s|%s|%s", m.Address, m.Lineage, m.SpecHash)
	}
	h.Write([]byte{'\n'})
}

// StaleError says why a saved plan cannot be applied any more.
type StaleError struct{ Reason string }

func (e *StaleError) Error() string {
	return "saved plan is stale: " + e.Reason + ". Run plan again and apply the new plan"
}

// CheckFresh refuses a plan made against another state or other VMs.
func (p *Plan) CheckFresh(st *state.State, fingerprint string) error {
	switch {
	case st == nil && p.StateExists:
		return &StaleError{"the state it was made against no longer exists"}
	case st != nil && !p.StateExists:
		return &StaleError{fmt.Sprintf("the workspace had no state when it was made, and now has (serial %d)", st.Serial)}
	case st != nil && st.Lineage != p.Lineage:
		return &StaleError{fmt.Sprintf("it was made for state lineage %s, and the state is lineage %s", p.Lineage, st.Lineage)}
	case st != nil && st.Serial != p.StateSerial:
		return &StaleError{fmt.Sprintf("the state changed since it was made (serial %d, now %d)", p.StateSerial, st.Serial)}
	case fingerprint != p.InventoryFingerprint:
		return &StaleError{"the VMs it covers changed since it was made"}
	}
	return nil
}
