package state

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// The address rules below are the spec language's (engine/spec builds
// addresses in instanceAddress and names fleets by its label rule). State
// must not import the engine, so it checks them here; issue 8 replaces both
// with one typed address.

// fleetOf returns the fleet address ("fleet.web", "vm.db-01") of a VM
// address, which must be in the form the spec builds:
//
//	fleet.NAME       a fleet without count or for_each
//	fleet.NAME[N]    a counted fleet's instance: N in decimal, no leading zeros
//	fleet.NAME["K"]  a for_each fleet's instance: K quoted as Go and HCL quote it
//	vm.NAME          a vm block
//
// NAME starts with a letter and holds letters, digits, '_' and '-'.
func fleetOf(addr string) (string, error) {
	fleet, key, hasKey := strings.Cut(addr, "[")
	if err := checkFleetAddress(fleet); err != nil {
		return "", err
	}
	if !hasKey {
		return fleet, nil
	}
	if strings.HasPrefix(fleet, "vm.") {
		return "", errors.New("a vm block has a single instance, so its address takes no index or key")
	}
	key, ok := strings.CutSuffix(key, "]")
	if !ok {
		return "", errors.New("the index or key does not end with ']'")
	}
	if err := checkKey(key); err != nil {
		return "", err
	}
	return fleet, nil
}

// checkFleetAddress checks "fleet.NAME" or "vm.NAME".
func checkFleetAddress(s string) error {
	kind, name, ok := strings.Cut(s, ".")
	if !ok || (kind != "fleet" && kind != "vm") {
		return errors.New("it does not start with fleet. or vm.")
	}
	if !validName(name) {
		return fmt.Errorf("%q is not a fleet or vm name (a letter, then letters, digits, '_' or '-')", name)
	}
	return nil
}

// checkKey checks what is between the brackets: N or "K".
func checkKey(key string) error {
	if strings.HasPrefix(key, `"`) {
		if plainQuoted(key) {
			return nil
		}
		k, err := strconv.Unquote(key)
		if err != nil || strconv.Quote(k) != key {
			return fmt.Errorf("the key %s is not a quoted string as the spec writes it", key)
		}
		return nil
	}
	if key == "" || len(key) > 18 || (key[0] == '0' && key != "0") || strings.TrimLeft(key, "0123456789") != "" {
		return fmt.Errorf("the index %q is not a whole number written without leading zeros", key)
	}
	return nil
}

// plainQuoted reports whether s is a quoted string of printable ASCII
// without quotes or backslashes inside: the common key, which
// strconv.Quote leaves as it is.
func plainQuoted(s string) bool {
	if len(s) < 2 || s[len(s)-1] != '"' {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if c := s[i]; c < ' ' || c > '~' || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// validName is the spec's rule for fleet and vm names: a letter, then
// letters, digits, underscores and dashes.
func validName(s string) bool {
	if s == "" || !isLetter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isLetter(c) && !isDigit(c) && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// checkProviderKey checks "TYPE.NAME": a driver type (a name by the same
// rule) and the provider block's name, which is not empty.
func checkProviderKey(s string) error {
	typ, name, ok := strings.Cut(s, ".")
	if !ok || !validName(typ) || name == "" {
		return fmt.Errorf("%q is not a provider key TYPE.NAME, such as \"sim.lab\"", s)
	}
	return nil
}
