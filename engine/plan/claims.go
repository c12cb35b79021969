package plan

import (
	"fmt"

	"github.com/novacron/novacron/state"
)

// numActions sizes tables indexed by Action.
const numActions = int(Forget) + 1

// checkClaims holds the plan to what every plan must be: a live VM is
// acted on for one address, and its changes there form one of the chains
// the graph runs in order: an adopt, then a migrate, then one of update,
// start or stop; an adopt then a replace (an import with -replace); a
// replace or a delete alone. A plan that breaks it would delete a VM for
// one address while another keeps (or adopts) it, so it is refused: a
// state edited by hand, or a bug, got past the checks before it.
func (d *differ) checkClaims() {
	type claim struct {
		addr string
		seen [numActions]bool
	}
	claims := map[state.Ref]*claim{}
	for _, c := range d.plan.Changes {
		ref, ok := changeRef(c)
		if !ok {
			continue
		}
		cl := claims[ref]
		if cl == nil {
			cl = &claim{addr: c.Address}
			claims[ref] = cl
		}
		if reason := claimBroken(cl.addr, cl.seen, c); reason != "" {
			d.errorf(nil, "The plan would act on one VM twice",
				"VM %s of provider %s: %s. Nothing was changed. A VM belongs to one address; check the state (`nova-plan state list`) against `nova-plan inventory`, and report this if the state was not edited by hand.",
				ref.ID, ref.Provider, reason)
			continue
		}
		cl.seen[c.Action] = true
	}
}

// claimBroken says how change c breaks the claim of a VM at addr with the
// actions seen before it, or "".
func claimBroken(addr string, seen [numActions]bool, c *Change) string {
	switch {
	case c.Address != addr:
		return fmt.Sprintf("the plan would %s it for %s while it acts on it for %s too", c.Action, c.Address, addr)
	case seen[c.Action]:
		return fmt.Sprintf("the plan would %s it twice for %s", c.Action, addr)
	}
	others := false
	for a, ok := range seen {
		others = others || (ok && Action(a) != Adopt && Action(a) != Move)
	}
	switch c.Action {
	case Delete, Forget:
		if others || seen[Adopt] || seen[Move] {
			return fmt.Sprintf("the plan would delete it for %s while it keeps it there", addr)
		}
	case Replace:
		if others {
			return fmt.Sprintf("the plan would replace it for %s after changing it there", addr)
		}
	case Adopt, Move:
		if others {
			return fmt.Sprintf("the plan would adopt it for %s after changing it there", addr)
		}
	default:
		if seen[Delete] || seen[Replace] || seen[Forget] {
			return fmt.Sprintf("the plan would %s it for %s after deleting it there", c.Action, addr)
		}
	}
	return ""
}
