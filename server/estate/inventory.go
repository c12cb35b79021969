package estate

import (
	"context"
	"path/filepath"
	"sync"
	"time"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/jsonformat"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/engine/workspace"
)

// Refresh reads the inventory of a workspace ("" for all) again. Every
// workspace is read even when one fails; the first error is returned.
func (e *Estate) Refresh(ctx context.Context, name string) error {
	if name == "" {
		return e.refreshAll(ctx)
	}
	s, err := e.space(name)
	if err != nil {
		return err
	}
	return e.refresh(ctx, s)
}

// refreshAll reads every workspace's inventory, all at once.
func (e *Estate) refreshAll(ctx context.Context) error {
	errs := make([]error, len(e.names))
	var wg sync.WaitGroup
	for i, name := range e.names {
		wg.Go(func() { errs[i] = e.refresh(ctx, e.spaces[name]) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// refresh reads one workspace's inventory in a session of its own,
// without the state lock, as `nova-plan inventory` does.
func (e *Estate) refresh(ctx context.Context, s *space) error {
	sess, err := s.begin(ctx, "", e.beginOptions("inventory", "", nil), e.o.LockTimeout)
	if err != nil {
		s.failed(err)
		return err
	}
	defer sess.close()
	return e.record(ctx, s, sess)
}

// beginOptions are the options of a session of the server's: the spec
// loaded with vars and the server's environment (space.begin sets the
// lock timeout).
func (e *Estate) beginOptions(op, who string, vars []spec.VarArg) workspace.BeginOptions {
	return workspace.BeginOptions{
		Operation: op, Who: who, NoLock: op == "inventory", Spec: spec.Options{Vars: vars, Env: e.env},
	}
}

// record reads the inventory in an open session and keeps it, telling
// the Observer of the reads, the listing and the drift.
func (e *Estate) record(ctx context.Context, s *space, sess *session) error {
	invs, diags := sess.Inventory(ctx)
	if diags.HasErrors() {
		err := diagsError(diags, s.w.Dir)
		s.failed(err)
		return err
	}
	inv := &inventory{invs: invs, caps: map[string]driver.Capabilities{}, refreshed: time.Now().UTC()}
	for k, d := range sess.Drivers {
		inv.caps[k] = d.Capabilities()
	}
	if st := sess.State; st != nil {
		inv.lineage, inv.serial = st.Lineage, st.Serial
	}
	owners := map[string]string{}
	for _, f := range sess.Spec.Fleets {
		owner := ownerOf(f, s)
		owners[f.Address()] = owner
		inv.fleets = append(inv.fleets, Fleet{Address: f.Address(), Provider: f.Provider.Key(), Count: len(f.Instances), File: owner})
	}
	rows := jsonformat.InventoryRows(invs, sess.State)
	inv.rows = make([]VM, len(rows))
	for i, r := range rows {
		inv.rows[i] = vmOf(s.name, r, owners)
	}
	s.mu.Lock()
	s.inv, s.err = inv, ""
	s.mu.Unlock()
	e.relist()
	e.observeDrift(s, sess, invs)
	return nil
}

// failed keeps a failed read's error for WorkspaceInfo.
func (s *space) failed(err error) {
	s.mu.Lock()
	s.err = hidePaths(err.Error())
	s.mu.Unlock()
}

// ownerOf names where a fleet is declared: "main.nova.hcl:40", or "api"
// for a block of the API file.
func ownerOf(f *spec.Fleet, s *space) string {
	if s.api && filepath.Base(f.DeclRange.Filename) == APISpecFile {
		return OwnerAPI
	}
	return where(f.DeclRange, s.w.Dir)
}

// OwnerAPI is VM.ManagedBy of a VM the API created.
const OwnerAPI = "api"

// vmOf is an inventory row as the API lists it.
func vmOf(ws string, r jsonformat.InventoryVM, owners map[string]string) VM {
	vm := VM{Workspace: ws, InventoryVM: r}
	if r.Address == "" {
		vm.ID = ws + ":" + r.Provider + "/" + r.ID
		return vm
	}
	vm.ID = ws + ":" + r.Address
	vm.ManagedBy = owners[fleetOf(r.Address)]
	return vm
}

// fleetOf is the fleet address of an instance address; "" when it does
// not parse.
func fleetOf(addr string) string {
	a, err := addrs.ParseInstance(addr)
	if err != nil {
		return ""
	}
	return a.Fleet().String()
}

// observeDrift tells the Observer how many VMs drifted, comparing the
// inventory just read (nothing is read again).
func (e *Estate) observeDrift(s *space, sess *session, invs map[string]driver.Inventory) {
	if e.o.Observer == nil {
		return
	}
	d, diags := sess.DriftWith(invs)
	if diags.HasErrors() {
		return
	}
	seen := map[string]bool{}
	for _, v := range d.VMs {
		seen[v.Address] = true
	}
	e.o.Observer.Drift(s.name, len(seen))
}
