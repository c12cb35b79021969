package plan

import (
	"cmp"
	"slices"

	"github.com/novacron/novacron/engine/addrs"
)

// phase orders several changes to one address: a duplicate's delete, then
// adoption, then the moves and changes themselves.
var phase = map[Action]int{Delete: 0, Forget: 0, Move: 1, Adopt: 1, Replace: 2, Create: 3, Migrate: 4, Update: 5, Start: 6, Stop: 7}

// sortChanges orders the changes by address, in addrs order (fleet.web[2]
// before fleet.web[10]; a marker's address that does not parse last), then
// by phase. Addresses are parsed as they are compared: the changes arrive
// in runs already in order, so a stable sort compares few of them, and no
// key per change is allocated.
func (d *differ) sortChanges() {
	slices.SortStableFunc(d.plan.Changes, func(x, y *Change) int {
		if x.Address != y.Address {
			return addrs.CompareStrings(x.Address, y.Address)
		}
		return cmp.Compare(phase[x.Action], phase[y.Action])
	})
}
