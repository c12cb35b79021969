package vsphere

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"testing"

	"github.com/vmware/govmomi/task"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/internal/vcsim"
)

// taskError is a task that failed with f and vCenter's message.
func taskError(f types.BaseMethodFault, msg string) error {
	return task.Error{LocalizedMethodFault: &types.LocalizedMethodFault{Fault: f, LocalizedMessage: msg}}
}

// TestErrorKinds: vSphere faults and connection errors map to the kinds
// the executor acts on.
func TestErrorKinds(t *testing.T) {
	cases := []struct {
		err  error
		want driver.Kind
	}{
		{taskError(&types.ManagedObjectNotFound{}, "The object has already been deleted"), driver.KindNotFound},
		{taskError(&types.TaskInProgress{}, "The operation is not allowed in the current state."), driver.KindTransient},
		{taskError(&types.Timedout{}, "Operation timed out."), driver.KindTransient},
		{taskError(&types.HostNotConnected{}, "The host is not connected."), driver.KindTransient},
		{taskError(&types.InvalidState{}, "The operation is not allowed in the current state."), driver.KindTransient},
		{taskError(&types.InsufficientMemoryResourcesFault{}, "Insufficient memory resources."), driver.KindCapacity},
		{taskError(&types.NoDiskSpace{}, "There is not enough space on the file system."), driver.KindCapacity},
		{taskError(&types.InvalidDeviceSpec{}, "Invalid configuration for device '0'."), driver.KindPermanent},
		{taskError(&types.InvalidArgument{}, "A specified parameter was not correct."), driver.KindPermanent},
		{taskError(&types.InvalidPowerState{}, "The attempted operation cannot be performed in the current state (Powered on)."), driver.KindPermanent},
		{taskError(&types.DuplicateName{}, "The name 'web-0' already exists."), driver.KindPermanent},
		{fmt.Errorf("post: %w", io.ErrUnexpectedEOF), driver.KindTransient},
		{errors.New("something else"), driver.KindPermanent},
		// A host name that does not resolve: its DNS error unwraps to nil,
		// on which govmomi's fault.In panics.
		{&url.Error{Op: "Post", URL: "https://vc.invalid/sdk", Err: &net.OpError{Op: "dial", Net: "tcp",
			Err: &net.DNSError{Err: "no such host", Name: "vc.invalid", IsNotFound: true}}}, driver.KindTransient},
		{fmt.Errorf("login: %w", errors.Join(nil, &net.DNSError{Err: "no such host", Name: "vc.invalid"})), driver.KindTransient},
	}
	for _, tc := range cases {
		if got := classify(tc.err); got != tc.want {
			t.Errorf("classify(%T %v) = %s, want %s", tc.err, tc.err, got, tc.want)
		}
	}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{taskError(&types.InvalidDeviceSpec{}, "Invalid configuration for device '0'."),
			`reconfiguring VM "web-0": Invalid configuration for device '0'. (InvalidDeviceSpec)`},
		{taskError(&types.NoPermission{PrivilegeId: "VirtualMachine.Config.CPUCount"}, "Permission to perform this operation was denied."),
			`reconfiguring VM "web-0": Permission to perform this operation was denied. (NoPermission); the user lacks the privilege VirtualMachine.Config.CPUCount`},
		{taskError(&types.DuplicateName{Name: "web-0"}, ""), `reconfiguring VM "web-0": DuplicateName: the name "web-0" is already in use`},
	} {
		if got := fail(tc.err, "reconfiguring VM %q", "web-0").Error(); got != tc.want {
			t.Errorf("fail() = %q, want %q", got, tc.want)
		}
	}
}

// TestFaultsFromVCenter: faults vCenter raises reach the executor with
// their kind and vCenter's message, and a Create that fails after the
// clone leaves no VM behind.
func TestFaultsFromVCenter(t *testing.T) {
	s := startSim(t, vcsim.Options{})
	d := openDriver(t, simConfig(s))
	ctx := context.Background()
	vm, err := d.Create(ctx, testSpec("busy"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		method string
		fault  types.BaseMethodFault
		msg    string
		kind   driver.Kind
		op     func() error
	}{
		{"ReconfigVM_Task", &types.TaskInProgress{}, "Another task is already in progress.", driver.KindTransient,
			func() error { _, err := d.Update(ctx, vm.ID, driver.Changes{CPU: new(2)}); return err }},
		{"ReconfigVM_Task", &types.InvalidDeviceSpec{}, "Invalid configuration for device '0'.", driver.KindPermanent,
			func() error { _, err := d.Update(ctx, vm.ID, driver.Changes{DiskGB: new(20)}); return err }},
		{"PowerOnVM_Task", &types.InsufficientMemoryResourcesFault{}, "Insufficient memory resources.", driver.KindCapacity,
			func() error { _, err := d.Create(ctx, testSpec("nomem")); return err }},
	}
	for _, tc := range cases {
		s.InjectFault(tc.method, tc.fault, tc.msg)
		err := tc.op()
		s.ClearFaults()
		if err == nil || driver.KindOf(err) != tc.kind || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s failing with %T: %v; want a %s error with vCenter's message %q", tc.method, tc.fault, err, tc.kind, tc.msg)
		}
	}
	inv, err := d.Inventory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, vm := range inv.VMs {
		if vm.Name == "nomem" {
			t.Errorf("the Create that could not power on left VM %s behind", vm.ID)
		}
	}
	if got := inventoryVM(t, d, vm.ID); got.CPU != 1 || got.DiskGB != 10 {
		t.Errorf("after the failed updates: %d vCPU, %d GB disk; want 1 and 10", got.CPU, got.DiskGB)
	}
}

// TestUnknownIDs: IDs that cannot be a VM's, and VM IDs vCenter does not
// know, are not-found for Update and Migrate and no error for Delete.
func TestUnknownIDs(t *testing.T) {
	d := openDriver(t, simConfig(startSim(t, vcsim.Options{})))
	ctx := context.Background()
	for _, id := range []string{"web-0", "vm-99999", "host-12", ""} {
		if _, err := d.Update(ctx, id, driver.Changes{CPU: new(2)}); !errors.Is(err, driver.ErrNotFound) {
			t.Errorf("Update(%q): %v, want not-found", id, err)
		}
		if err := d.Migrate(ctx, id, vcsim.HostName(1), true); !errors.Is(err, driver.ErrNotFound) {
			t.Errorf("Migrate(%q): %v, want not-found", id, err)
		}
		if err := d.Delete(ctx, id); err != nil {
			t.Errorf("Delete(%q): %v, want nil", id, err)
		}
	}
}
