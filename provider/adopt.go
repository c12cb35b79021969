package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/operation"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// adoption is a VM an import takes over, at the address its resource's
// marker gives it.
type adoption struct {
	addr addrs.Instance
	vm   *driver.VM
}

// adopt takes the VMs of an import over for the resource of lineage with
// the core's import (Operation.PlanImportWith and Apply): each gets the
// resource's ownership marker, which the engine's adopt of an imported VM
// writes through the driver, so that no former owner's marker claims it
// any more. The import ID named that owner (importID.checkOwner), which is
// the consent the core's force stands for. It returns the VMs as the
// backend reports them afterwards, by id.
func (s *session) adopt(ctx context.Context, inv driver.Inventory, lineage string, fleet addrs.Fleet, vms []adoption) (map[string]*driver.VM, diag.Diagnostics) {
	sp, imports := s.importSpec(fleet, vms)
	st := state.New(lineage)
	p, diags := s.operation(sp, st).PlanImportWith(s.invs(inv), imports, true)
	out := fromEngine(diags, nil)
	if out.HasError() {
		return nil, out
	}
	a, ds := s.apply(ctx, p, sp, st, nil)
	out.Append(ds...)
	if !a.failed && len(a.after.VMs) != len(vms) {
		out.AddError("Import incomplete", fmt.Sprintf("%d of %d VMs were adopted. This is a bug in the provider; please report it.", len(a.after.VMs), len(vms)))
	}
	if out.HasError() {
		return nil, out
	}
	now, ds := s.inventory(ctx)
	out.Append(ds...)
	return indexByID(now), out
}

// adoptVM adopts one VM for a novacron_vm of lineage, at vm.NAME, and
// returns it as the backend now reports it.
func (s *session) adoptVM(ctx context.Context, inv driver.Inventory, lineage string, vm *driver.VM) (*driver.VM, diag.Diagnostics) {
	f := addrs.Fleet{Kind: addrs.KindVM, Name: vm.Name}
	now, diags := s.adopt(ctx, inv, lineage, f, []adoption{{f.Instance(addrs.NoKey), vm}})
	if v := now[vm.ID]; v != nil {
		vm = v
	}
	return vm, diags
}

// importSpec is a spec that declares the addresses of the VMs to adopt
// (as the VMs are: an adopt changes nothing else), and their imports.
func (s *session) importSpec(fleet addrs.Fleet, vms []adoption) (*spec.Spec, []operation.Import) {
	f := &spec.Fleet{Kind: fleet.Kind, Name: fleet.Name}
	imports := make([]operation.Import, len(vms))
	for i, a := range vms {
		inst := &spec.Instance{
			Address: a.addr.String(), Fleet: f, Index: i, Name: a.vm.Name,
			CPU: a.vm.CPU, MemoryMiB: a.vm.MemoryMiB, DiskGB: a.vm.DiskGB, Power: a.vm.Power, Tags: userTags(a.vm.Tags),
		}
		if k, ok := a.addr.Key().Str(); ok {
			f.ForEach, inst.Key = true, k
		}
		f.Instances = append(f.Instances, inst)
		imports[i] = operation.Import{Address: a.addr, ID: a.vm.ID}
	}
	return s.newSpec(f), imports
}
