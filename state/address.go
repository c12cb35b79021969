package state

import (
	"errors"
	"fmt"
	"strings"

	"github.com/novacron/novacron/engine/addrs"
)

// fleetOf returns the fleet address ("fleet.web", "vm.db-01") of a VM
// address, which must be in the canonical form of engine/addrs, the form
// the spec writes:
//
//	fleet.NAME       a fleet without count or for_each
//	fleet.NAME[N]    a counted fleet's instance: N in decimal, no leading zeros
//	fleet.NAME["K"]  a for_each fleet's instance: K quoted as Go and HCL quote it
//	vm.NAME          a vm block
//	module.M.…       any of those in module M (module.M[N]., module.M["K"].)
//
// The error says why, in words that follow "is not a VM address: ". It
// allocates only for a for_each key: state is validated on every read and
// write.
func fleetOf(addr string) (string, error) {
	a, err := addrs.ParseInstance(addr)
	if err != nil {
		return "", reason(err)
	}
	fleet, _ := addrs.FleetOf(addr)
	if !strings.Contains(addr, `"`) || a.String() == addr {
		return fleet, nil
	}
	if _, isString := a.Key().Str(); isString && !strings.HasSuffix(addr, a.Key().String()) {
		key := addr[strings.LastIndex(addr, `["`):]
		return "", fmt.Errorf("the key %s is not a quoted string as the spec writes it: write %s",
			strings.TrimSuffix(key[1:], "]"), a.Key())
	}
	return "", fmt.Errorf("a module's key is not a quoted string as the spec writes it: write %s", a)
}

// checkFleetAddress checks "fleet.NAME" or "vm.NAME".
func checkFleetAddress(s string) error {
	_, err := addrs.ParseFleet(s)
	return reason(err)
}

// reason is the reason of an addrs.ParseError, without the input it
// repeats (the problem's field names it).
func reason(err error) error {
	if err == nil {
		return nil
	}
	var pe *addrs.ParseError
	if errors.As(err, &pe) {
		return errors.New(pe.Reason)
	}
	return err
}

// checkProviderKey checks "TYPE.NAME": a driver type (a name by the fleet
// name rule) and the provider block's name, which is not empty.
func checkProviderKey(s string) error {
	typ, name, ok := strings.Cut(s, ".")
	if !ok || !addrs.ValidName(typ) || name == "" {
		return fmt.Errorf("%q is not a provider key TYPE.NAME, such as \"sim.lab\"", s)
	}
	if bad := badText(name); bad != "" {
		return fmt.Errorf("%q %s", s, bad)
	}
	return nil
}
