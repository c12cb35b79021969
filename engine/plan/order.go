package plan

import (
	"cmp"
	"slices"

	"github.com/novacron/novacron/engine/addrs"
)

// phase orders several changes to one address: a duplicate's delete, then
// adoption, then the moves and changes themselves.
var phase = map[Action]int{Delete: 0, Adopt: 1, Replace: 2, Create: 3, Migrate: 4, Update: 5, Start: 6, Stop: 7}

// sortChanges orders the changes by address (addrs order: fleet.web[2]
// before fleet.web[10]), then by phase. Each address is parsed once.
func (d *differ) sortChanges() {
	type keyed struct {
		c    *Change
		addr addrs.Instance
		ok   bool
	}
	ks := make([]keyed, len(d.plan.Changes))
	for i, c := range d.plan.Changes {
		a, err := addrs.ParseInstance(c.Address)
		ks[i] = keyed{c, a, err == nil}
	}
	slices.SortStableFunc(ks, func(x, y keyed) int {
		if x.c.Address != y.c.Address {
			switch {
			case x.ok && y.ok:
				return x.addr.Compare(y.addr)
			case x.ok != y.ok: // a marker's address that does not parse goes last
				return cmp.Compare(boolInt(!x.ok), boolInt(!y.ok))
			}
			return cmp.Compare(x.c.Address, y.c.Address)
		}
		return cmp.Compare(phase[x.c.Action], phase[y.c.Action])
	})
	for i, k := range ks {
		d.plan.Changes[i] = k.c
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
