package vsphere

import (
	"context"
	"strings"
	"testing"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/internal/vcsim"
)

// TestLinkedClone: a linked clone of a template with a snapshot is made
// and recorded as one; its disk cannot grow (it is a child of the
// snapshot), whether at Create or in an Update; a template without a
// snapshot cannot give linked clones.
func TestLinkedClone(t *testing.T) {
	s := startSim(t, vcsim.Options{})
	d := openDriver(t, simConfig(s))
	ctx := context.Background()
	linked := driver.TemplateRef{Name: "linked", Config: driver.Config{tmplVM: vcsim.Template, tmplLinked: true}}
	spec := testSpec("linked")
	spec.Template = linked
	vm, err := d.Create(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	if vm.Template != linked.ID() || vm.DiskGB != 10 {
		t.Errorf("linked clone reports template %q and %d GB; want %q and 10", vm.Template, vm.DiskGB, linked.ID())
	}
	_, err = d.Update(ctx, vm.ID, driver.Changes{DiskGB: new(20), Restart: true})
	if err == nil || driver.KindOf(err) != driver.KindPermanent || !strings.Contains(err.Error(), "linked clone") {
		t.Errorf("growing a linked clone's disk: %v, want a permanent error saying it is a linked clone", err)
	}
	big := spec
	big.Name, big.DiskGB = "linked-big", 20
	if _, err := d.Create(ctx, big); err == nil || !strings.Contains(err.Error(), "linked_clone") {
		t.Errorf("a linked clone asking for a larger disk: %v, want an error naming linked_clone", err)
	}

	_, f := simClient(t, s)
	tmpl := simVM(t, f, vcsim.Template)
	task, err := tmpl.RemoveAllSnapshot(ctx, nil)
	if err == nil {
		err = task.Wait(ctx)
	}
	if err != nil {
		t.Fatal(err)
	}
	fresh := openDriver(t, simConfig(s)) // the first driver keeps what it read of the template
	spec.Name = "linked-2"
	if _, err := fresh.Create(ctx, spec); err == nil || !strings.Contains(err.Error(), "has no snapshot") || !strings.Contains(err.Error(), "linked_clone") {
		t.Errorf("a linked clone of a template without a snapshot: %v, want an error naming linked_clone", err)
	}
}

// TestTemplateErrors: a template VM that does not exist, or a name two VMs
// share, is a permanent error naming the template's vm setting; a disk
// smaller than the template's is refused naming disk_gb; nothing is made.
func TestTemplateErrors(t *testing.T) {
	s := startSim(t, vcsim.Options{VMs: 2})
	d := openDriver(t, simConfig(s))
	ctx := context.Background()
	_, f := simClient(t, s)
	twinName(t, f, vcsim.UnmanagedName(1), vcsim.UnmanagedName(0))
	spec := func(vm string, disk int) driver.VMSpec {
		s := testSpec("from-template")
		s.Template, s.DiskGB = driver.TemplateRef{Name: "t", Config: driver.Config{tmplVM: vm}}, disk
		return s
	}
	for _, tc := range []struct {
		spec driver.VMSpec
		want []string
	}{
		{spec("no-such-template", 10), []string{`template "t"`, `no VM template named "no-such-template"`, "set vm"}},
		{spec("/DC0/vm/no/such/path", 10), []string{`no VM template named "/DC0/vm/no/such/path"`}},
		{spec(vcsim.UnmanagedName(0), 10), []string{"2 VMs", "inventory path"}},
		{spec(vcsim.Template, 5), []string{"smaller than the disk", "disk_gb to at least 10"}},
	} {
		_, err := d.Create(ctx, tc.spec)
		if err == nil || driver.KindOf(err) != driver.KindPermanent {
			t.Errorf("Create from %q: %v, want a permanent error", tc.spec.Template.Config.String(tmplVM), err)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Create from %q: %v; want it to say %q", tc.spec.Template.Config.String(tmplVM), err, w)
			}
		}
	}
	inv, err := d.Inventory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.VMs) != 2 {
		t.Errorf("after the refused creates the inventory lists %d VMs, want the 2 unmanaged ones", len(inv.VMs))
	}
}

// twinName moves VM from into a new folder and gives it the name of
// another VM: folders allow two VMs of one name.
func twinName(t *testing.T, f *find.Finder, from, name string) {
	t.Helper()
	ctx := context.Background()
	root, err := f.Folder(ctx, "/"+vcsim.Datacenter+"/vm")
	if err != nil {
		t.Fatal(err)
	}
	other, err := root.CreateFolder(ctx, "twins")
	if err != nil {
		t.Fatal(err)
	}
	vm := simVM(t, f, from)
	task, err := other.MoveInto(ctx, []types.ManagedObjectReference{vm.Reference()})
	if err == nil {
		err = task.Wait(ctx)
	}
	if err == nil {
		task, err = vm.Rename(ctx, name)
	}
	if err == nil {
		err = task.Wait(ctx)
	}
	if err != nil {
		t.Fatal(err)
	}
}
