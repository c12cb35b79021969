package provider

import (
	"context"
	"maps"
	"slices"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/sim"
)

// faultyFactory is driver type "faulty": the real simulator, except that
// every create, update and migration of a VM named in fail_names fails with
// a permanent error. It gives the partial-failure tests failures of chosen
// VMs, where the sim's own fail_rate is random and retried.
func faultyFactory() driver.Factory {
	f := sim.Factory()
	f.Type = "faulty"
	f.Description = "the simulator, failing the VMs named in fail_names"
	f.Settings = append(slices.Clone(f.Settings), driver.Setting{
		Name: "fail_names", Type: driver.StringList, Description: "Names of the VMs whose changes fail",
	})
	open := f.Open
	f.Open = func(ctx context.Context, req driver.OpenRequest) (driver.Driver, error) {
		fail := req.Config.StringList("fail_names")
		req.Config = maps.Clone(req.Config)
		delete(req.Config, "fail_names")
		d, err := open(ctx, req)
		if err != nil {
			return nil, err
		}
		return &faulty{Driver: d, fail: fail}, nil
	}
	return f
}

type faulty struct {
	driver.Driver
	fail []string
}

func (f *faulty) refuse(ctx context.Context, name, id string) error {
	if name == "" {
		inv, err := f.Inventory(ctx)
		if err != nil {
			return err
		}
		if vm := findVM(inv, id); vm != nil {
			name = vm.Name
		}
	}
	if slices.Contains(f.fail, name) {
		return driver.Errorf(driver.KindPermanent, "injected failure for %s", name)
	}
	return nil
}

func (f *faulty) Create(ctx context.Context, spec driver.VMSpec) (driver.VM, error) {
	if err := f.refuse(ctx, spec.Name, ""); err != nil {
		return driver.VM{}, err
	}
	return f.Driver.Create(ctx, spec)
}

func (f *faulty) Update(ctx context.Context, id string, ch driver.Changes) (driver.VM, error) {
	if err := f.refuse(ctx, "", id); err != nil {
		return driver.VM{}, err
	}
	return f.Driver.Update(ctx, id, ch)
}

func (f *faulty) Migrate(ctx context.Context, id, host string, live bool) error {
	if err := f.refuse(ctx, "", id); err != nil {
		return err
	}
	return f.Driver.Migrate(ctx, id, host, live)
}
