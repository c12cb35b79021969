package plan

import (
	"sort"
	"strconv"
	"strings"
)

// phase orders several changes to one address: a duplicate's delete, then
// adoption, then the moves and changes themselves.
var phase = map[Action]int{Delete: 0, Adopt: 1, Replace: 2, Create: 3, Migrate: 4, Update: 5, Start: 6, Stop: 7}

func (d *differ) sortChanges() {
	sort.SliceStable(d.plan.Changes, func(i, j int) bool {
		a, b := d.plan.Changes[i], d.plan.Changes[j]
		if a.Address != b.Address {
			return AddressLess(a.Address, b.Address)
		}
		return phase[a.Action] < phase[b.Action]
	})
}

// AddressLess orders addresses with numeric indexes in number order:
// fleet.web[2] before fleet.web[10].
func AddressLess(a, b string) bool {
	fa, ka := splitAddress(a)
	fb, kb := splitAddress(b)
	if fa != fb {
		return fa < fb
	}
	na, errA := strconv.Atoi(ka)
	nb, errB := strconv.Atoi(kb)
	if errA == nil && errB == nil {
		return na < nb
	}
	return ka < kb
}

func splitAddress(addr string) (fleet, key string) {
	i := strings.IndexByte(addr, '[')
	if i < 0 {
		return addr, ""
	}
	return addr[:i], strings.TrimSuffix(addr[i+1:], "]")
}
