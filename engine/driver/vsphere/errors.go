package vsphere

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"reflect"
	"strings"
	"syscall"

	"github.com/vmware/govmomi/fault"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/novacron/novacron/engine/driver"
)

// faultOf returns the first vSphere fault in err's chain (a task's error or
// a SOAP fault), with vCenter's message for it, or nil.
//
// It walks the chain itself and hands fault.In only the links that carry a
// fault: fault.In follows Unwrap into a nil error and panics on it (a
// *net.DNSError for a host name that does not resolve unwraps to nil).
func faultOf(err error) (types.BaseMethodFault, string) {
	var found types.BaseMethodFault
	var msg string
	eachInChain(err, func(e error) bool {
		switch e.(type) {
		case types.HasLocalizedMethodFault, types.BaseMethodFault, interface{ Fault() types.BaseMethodFault }:
			fault.In(e, func(f types.BaseMethodFault, m string, _ []types.LocalizableMessage) bool {
				if found == nil {
					found, msg = f, m
				}
				return true
			})
		}
		return found == nil
	})
	if msg == "" && soap.IsSoapFault(err) {
		msg = soap.ToSoapFault(err).String
	}
	return found, msg
}

// eachInChain calls fn with err and every error it wraps, depth first,
// skipping nil ones, while fn returns true.
func eachInChain(err error, fn func(error) bool) bool {
	if err == nil {
		return true
	}
	if !fn(err) {
		return false
	}
	switch w := err.(type) {
	case interface{ Unwrap() error }:
		return eachInChain(w.Unwrap(), fn)
	case interface{ Unwrap() []error }:
		for _, e := range w.Unwrap() {
			if !eachInChain(e, fn) {
				return false
			}
		}
	}
	return true
}

// classify maps an error from vCenter or the connection to a driver kind.
func classify(err error) driver.Kind {
	var de *driver.Error
	if errors.As(err, &de) {
		return de.Kind
	}
	if f, _ := faultOf(err); f != nil {
		return classifyFault(f)
	}
	if isConnectionError(err) || errors.Is(err, context.DeadlineExceeded) {
		return driver.KindTransient
	}
	return driver.KindPermanent
}

// classifyFault maps a vSphere fault: a missing object is not-found; a
// busy object, a timeout or a host vCenter cannot reach for now is
// transient; lack of resources or space is capacity; anything else (an
// invalid spec, a name in use, a refused operation) is permanent.
func classifyFault(f types.BaseMethodFault) driver.Kind {
	switch f.(type) {
	case *types.ManagedObjectNotFound:
		return driver.KindNotFound
	case *types.TaskInProgress, *types.Timedout, *types.ConcurrentAccess, *types.ResourceInUse,
		*types.NetworkDisruptedAndConfigRolledBack, *types.FailToLockFaultToleranceVMs,
		*types.InvalidState, *types.InvalidHostState, *types.HostInDomain, *types.RequestCanceled,
		*types.SystemError, *types.NotAuthenticated:
		return driver.KindTransient
	case types.BaseHostCommunication:
		return driver.KindTransient
	case types.BaseInsufficientResourcesFault, *types.NoDiskSpace, *types.OutOfBounds,
		*types.InsufficientStorageSpace, *types.NotEnoughLicenses:
		return driver.KindCapacity
	}
	return driver.KindPermanent
}

// isConnectionError reports a dropped, refused or timed-out connection.
func isConnectionError(err error) bool {
	var ne net.Error
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, net.ErrClosed) || errors.As(err, &ne)
}

// message is vCenter's message for err, naming the fault where vCenter
// (or the simulator) gives no sentence.
func message(err error) string {
	f, msg := faultOf(err)
	if f == nil {
		return err.Error()
	}
	name := faultName(f)
	switch {
	case msg == "" || strings.HasPrefix(msg, "*types."):
		return name + detail(f)
	case strings.Contains(msg, name):
		return msg + privilege(f)
	}
	return msg + " (" + name + ")" + privilege(f)
}

// privilege names the privilege a NoPermission fault says is missing.
func privilege(f types.BaseMethodFault) string {
	if p, ok := f.(types.BaseNoPermission); ok && p.GetNoPermission().PrivilegeId != "" {
		return "; the user lacks the privilege " + p.GetNoPermission().PrivilegeId
	}
	return ""
}

// faultName is a fault's type name, such as InvalidPowerState.
func faultName(f types.BaseMethodFault) string {
	t := reflect.TypeOf(f)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}

// detail adds what a fault holds to its name, for the faults that carry
// no message of their own in the simulator.
func detail(f types.BaseMethodFault) string {
	switch f := f.(type) {
	case *types.DuplicateName:
		return fmt.Sprintf(": the name %q is already in use", f.Name)
	case *types.InvalidPowerState:
		return fmt.Sprintf(": the VM is %s", f.ExistingState)
	case *types.InvalidArgument:
		if f.InvalidProperty != "" {
			return ": invalid " + f.InvalidProperty
		}
	}
	return privilege(f)
}

// fail classifies err and prefixes what was being done, for the user:
// fail(err, "powering on VM %q", name). vCenter's message is kept.
func fail(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	var de *driver.Error
	if errors.As(err, &de) {
		return driver.Wrap(de.Kind, fmt.Errorf(format+": %w", append(args, err)...))
	}
	return driver.Wrap(classify(err), &vcError{msg: fmt.Sprintf(format, args...) + ": " + message(err), err: err})
}

// vcError shows what was being done and vCenter's message, and keeps the
// fault for errors.Is and fault.Is.
type vcError struct {
	msg string
	err error
}

func (e *vcError) Error() string { return e.msg }
func (e *vcError) Unwrap() error { return e.err }

// notFound is the error for a VM ID vCenter does not know.
func notFound(provider, id string) error {
	return driver.Errorf(driver.KindNotFound, "VM %s not found on vSphere provider %q", id, provider)
}

// isNotFound reports a missing managed object.
func isNotFound(err error) bool {
	return fault.Is(err, &types.ManagedObjectNotFound{})
}
