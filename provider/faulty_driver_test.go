package provider

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/sim"
)

// faultyFactory is driver type "faulty": the real simulator, except that
// every create, update and migration of a VM named in fail_names fails with
// a permanent error. It gives the partial-failure tests failures of chosen
// VMs, where the sim's own fail_rate is random and retried. With
// interrupt_after = N it presses Ctrl-C in the terraform running the test
// once N VMs are made, as a user would mid-apply.
func faultyFactory() driver.Factory {
	f := sim.Factory()
	f.Type = "faulty"
	f.Description = "the simulator, failing the VMs named in fail_names"
	f.Settings = append(slices.Clone(f.Settings), driver.Setting{
		Name: "fail_names", Type: driver.StringList, Description: "Names of the VMs whose changes fail",
	}, driver.Setting{
		Name: "interrupt_after", Type: driver.Int, Default: int64(0), Description: "Interrupt terraform after this many creates (0: never)",
	})
	open := f.Open
	f.Open = func(ctx context.Context, req driver.OpenRequest) (driver.Driver, error) {
		fail, after := req.Config.StringList("fail_names"), req.Config.Int("interrupt_after")
		req.Config = maps.Clone(req.Config)
		delete(req.Config, "fail_names")
		delete(req.Config, "interrupt_after")
		d, err := open(ctx, req)
		if err != nil {
			return nil, err
		}
		return &faulty{Driver: d, fail: fail, interruptAfter: after}, nil
	}
	return f
}

type faulty struct {
	driver.Driver
	fail           []string
	interruptAfter int64
	created        atomic.Int64
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
	vm, err := f.Driver.Create(ctx, spec)
	if err == nil && f.created.Add(1) == f.interruptAfter {
		interruptTerraform()
	}
	return vm, err
}

// interruptTerraform sends SIGINT (Ctrl-C) to the terraform processes this
// test process started.
func interruptTerraform() {
	dirs, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, stat := range dirs {
		data, err := os.ReadFile(stat)
		if err != nil {
			continue
		}
		// pid (comm) state ppid …
		comm, rest, ok := strings.Cut(string(data), ") ")
		fields := strings.Fields(rest)
		if !ok || !strings.HasSuffix(comm, "(terraform") || len(fields) < 2 || fields[1] != strconv.Itoa(os.Getpid()) {
			continue
		}
		if pid, err := strconv.Atoi(strings.Fields(comm)[0]); err == nil {
			_ = syscall.Kill(pid, syscall.SIGINT)
		}
	}
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
