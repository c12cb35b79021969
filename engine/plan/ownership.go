package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/state"
)

// A VM belongs to one address of one workspace. The state says which
// address (and, by its lineage, which workspace); the VM's ownership
// marker says the same, and a plan trusts neither alone when they
// disagree. checkRecord refuses a state whose ids are not the driver's
// spelling, or that records a VM at one address while its marker names
// another; a VM the state records but another workspace's marker now
// claims is noted (foreign) and left alone (refuseForeign).

// SummaryTakenOver is the summary of the error that refuses a change to a
// VM the state records while another workspace's marker claims it, for a
// face that words it in its own terms (the provider: terraform state rm).
const SummaryTakenOver = "VM belongs to another workspace"

// foreignVM is a VM the state records that carries another workspace's
// marker: taken over there, with `nova-plan import -force` say.
type foreignVM struct {
	addr   string
	vm     *driver.VM
	marker driver.Marker
}

// canonicalID returns the driver's spelling of an id of provider pk.
func (d *differ) canonicalID(pk, id string) (string, bool) {
	if f := d.in.CanonicalIDs[pk]; f != nil {
		return f(id)
	}
	return id, driver.CheckID(id) == nil
}

// checkRecord checks the state's record of addr, the i-th of the sorted
// state addresses, against the driver's spelling of its id and against
// the live VM's marker.
func (d *differ) checkRecord(i int, addr string, rec *state.VM) {
	c, ok := d.canonicalID(rec.Provider, rec.ID)
	switch {
	case !ok:
		d.errorf(nil, "VM id in state is not the provider's",
			"State records VM id %q at %s on provider %s, which is not an id that provider gives its VMs. Correct it to the id `nova-plan inventory` lists for the VM, or remove the entry (the next plan finds the VM by its ownership marker).",
			rec.ID, addr, rec.Provider)
		return
	case c != rec.ID:
		also := ""
		if other, dup := d.spelledBefore(i)[state.Ref{Provider: rec.Provider, ID: c}]; dup {
			also = fmt.Sprintf(" That is the VM the state records at %s too: remove one of the two entries, keeping the address in the VM's ownership marker.", other)
		}
		d.errorf(nil, "VM id in state is not written as the provider writes it",
			"State records VM %s at %s as %q. Ids are compared exactly, so the plan would take it for a VM that is gone while the provider takes it for the VM: write it %q in the state file.%s",
			c, addr, rec.ID, c, also)
		return
	}
	if idx := d.live[rec.Provider]; idx != nil {
		if k, ok := idx.find(rec.ID); ok {
			d.checkMarker(addr, rec, idx.view(k, &d.scratch))
		}
	}
}

// spelledBefore maps each id the records of the first n sorted state
// addresses write as the driver does to the last of those addresses, to
// name the other address of one VM written in two spellings. It is built
// only when a plan meets such a VM, and extended as it meets more.
func (d *differ) spelledBefore(n int) map[state.Ref]string {
	if d.spelled == nil {
		d.spelled = map[state.Ref]string{}
	}
	addrs := d.stateAddrs()
	for ; d.spelledTo < n; d.spelledTo++ {
		addr := addrs[d.spelledTo]
		rec := d.st.VMs[addr]
		if c, ok := d.canonicalID(rec.Provider, rec.ID); ok && c == rec.ID {
			d.spelled[state.Ref{Provider: rec.Provider, ID: c}] = addr
		}
	}
	return d.spelled
}

// checkMarker compares the state's address of a live VM with its marker.
func (d *differ) checkMarker(addr string, rec *state.VM, vm *driver.VM) {
	if vm == nil || vm.Marker == nil || vm.Marker.Lineage == "" {
		return
	}
	m := vm.Marker
	if m.Lineage != d.lineage { // at this address or another: taken over there
		if d.foreign == nil {
			d.foreign = map[state.Ref]*foreignVM{}
		}
		f := &foreignVM{addr: addr, vm: new(*vm), marker: *m} // vm may be the differ's scratch (liveIndex.view)
		f.vm.Marker = &f.marker
		d.foreign[state.Ref{Provider: rec.Provider, ID: vm.ID}] = f
		return
	}
	if m.Address == addr || d.renamed(m.Address) == addr {
		return
	}
	d.errorf(nil, "State and ownership marker disagree",
		"State records VM %s (%q) at %s, but the VM's ownership marker says %s. A plan would then delete the VM for the one address while it adopts it for the other. "+
			"If the VM belongs at %s, edit the state file back so its entry is at %s (or restore the file from a backup). "+
			"If it belongs at %s, run `nova-plan state rm %s`, then `nova-plan import %s %s`, which writes the marker anew.",
		vm.ID, vm.Name, addr, m.Address, m.Address, m.Address, addr, addr, addr, vm.ID)
}

// checkAbandoned checks that the abandoned VMs are written as the
// provider writes ids: another spelling would not match the VM's, and its
// marker would make the plan adopt it again.
func (d *differ) checkAbandoned() {
	for _, ref := range d.st.Abandoned {
		if c, ok := d.canonicalID(ref.Provider, ref.ID); !ok || c != ref.ID {
			if !ok {
				c = "the id `nova-plan inventory` lists for it"
			}
			d.errorf(nil, "Abandoned VM id is not written as the provider writes it",
				"The state's abandoned list names VM %q of provider %s; write it %s, or the plan cannot tell it is the abandoned VM.", ref.ID, ref.Provider, c)
		}
	}
}

// refuseForeign refuses the changes left after -target that act on a VM
// another workspace took over, and warns of those it leaves alone: the
// state here still records them, and nothing should change or delete a VM
// another workspace owns without the user saying so.
func (d *differ) refuseForeign() {
	if len(d.foreign) == 0 {
		return
	}
	acted := map[state.Ref]*Change{}
	for _, c := range d.plan.Changes {
		if ref, ok := changeRef(c); ok && d.foreign[ref] != nil && acted[ref] == nil {
			acted[ref] = c
		}
	}
	for _, ref := range sortedForeign(d.foreign) {
		f := d.foreign[ref]
		owner := fmt.Sprintf("VM %s (%q), which state records at %s, now carries the ownership marker of another workspace (lineage %s, address %s): that workspace took it over, with `nova-plan import -force` say.",
			f.vm.ID, f.vm.Name, f.addr, f.marker.Lineage, f.marker.Address)
		what := fmt.Sprintf("Run `nova-plan state rm %s` here to stop managing it, and leave it to its owner. If it should be managed here, first `nova-plan state rm %s` in the other workspace, then `nova-plan state rm %s` and `nova-plan import -force %s %s` here.",
			f.addr, f.marker.Address, f.addr, f.addr, f.vm.ID)
		if c := acted[ref]; c != nil {
			d.errorf(nil, SummaryTakenOver, "%s The plan would %s it (%s), and NovaCron does not change or delete a VM another workspace owns. %s -target can leave it out of a plan meanwhile.",
				owner, c.Action, strings.Join(c.Reasons, "; "), what)
			continue
		}
		d.plan.Warnings = append(d.plan.Warnings, owner+" This plan leaves it alone. "+what)
	}
}

// changeRef is the live VM a change acts on (none for a create).
func changeRef(c *Change) (state.Ref, bool) {
	if c.ID == "" || c.Before == nil {
		return state.Ref{}, false
	}
	return state.Ref{Provider: c.Before.Provider, ID: c.ID}, true
}

func sortedForeign(m map[state.Ref]*foreignVM) []state.Ref {
	refs := make([]state.Ref, 0, len(m))
	for ref := range m {
		refs = append(refs, ref)
	}
	slices.SortFunc(refs, func(a, b state.Ref) int { return strings.Compare(m[a].addr, m[b].addr) })
	return refs
}
