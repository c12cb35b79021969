package plan

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
)

// seenVM is one VM as a provider's inventory shows it: the provider's type,
// the VM's identity (driver.VM.Identity, else its id: byID) and its
// marker's address. Two providers of one type that show the same seenVM
// see one VM.
type seenVM struct {
	typ, identity, addr string
	byID                bool
}

// checkOverlap refuses to plan when two providers of one type both list a
// VM that carries this workspace's marker, with one identity and one
// address: their scopes overlap, and each would take the VMs the other
// manages for strays of its own and delete them. Nothing is planned; the
// user gives each provider a scope of its own.
func (d *differ) checkOverlap() {
	keys := overlapping(slices.Sorted(maps.Keys(d.live)))
	n := 0
	for _, pk := range keys {
		n += d.live[pk].len()
	}
	first := make(map[seenVM]string, n)    // the provider that listed it first
	shared := map[[2]string][]*driver.VM{} // by the two providers
	var pairs [][2]string
	for _, pk := range keys {
		typ, _, _ := strings.Cut(pk, ".")
		idx := d.live[pk]
		for k := range idx.len() {
			vm := idx.vm(k)
			if !owned(vm, pk, d.lineage, d.st) {
				continue
			}
			k := seenVM{typ: typ, identity: vm.Identity, addr: vm.Marker.Address}
			if vm.Identity == "" {
				k.identity, k.byID = vm.ID, true
			}
			other, dup := first[k]
			if !dup {
				first[k] = pk
				continue
			}
			pair := [2]string{other, pk}
			if shared[pair] == nil {
				pairs = append(pairs, pair)
			}
			shared[pair] = append(shared[pair], vm)
		}
	}
	for _, pair := range pairs {
		d.overlapError(pair[0], pair[1], shared[pair])
	}
}

// overlapping returns the provider keys of keys (sorted) whose type
// another key shares, in order: a provider alone of its type overlaps
// none, and its VMs need no index.
func overlapping(keys []string) []string {
	count := map[string]int{}
	for _, pk := range keys {
		typ, _, _ := strings.Cut(pk, ".")
		count[typ]++
	}
	return slices.DeleteFunc(keys, func(pk string) bool {
		typ, _, _ := strings.Cut(pk, ".")
		return count[typ] < 2
	})
}

// overlapError is the diagnostic of two providers that list the VMs vms.
func (d *differ) overlapError(a, b string, vms []*driver.VM) {
	vm := vms[0]
	what := fmt.Sprintf("VM %s (%s), which this workspace manages as %s, is", vm.ID, vm.Name, vm.Marker.Address)
	if len(vms) > 1 {
		what = fmt.Sprintf("%d VMs this workspace manages, such as %s (%s, %s), are", len(vms), vm.ID, vm.Name, vm.Marker.Address)
	}
	d.errorf(d.providerRange(b), "Providers' scopes overlap",
		"%s in the inventory of provider %s and of provider %s: their scopes overlap, so each would take the VMs the other manages for its own. Nothing was planned. Give each provider a scope of its own (for vsphere, a cluster or resource_pool that is not the other's and not inside it).",
		what, a, b)
}

// providerRange is the declaration of provider pk, or nil.
func (d *differ) providerRange(pk string) *hcl.Range {
	if d.in.Spec == nil || d.in.Spec.Providers[pk] == nil {
		return nil
	}
	return d.in.Spec.Providers[pk].DeclRange.Ptr()
}
