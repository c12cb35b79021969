package driver

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// IDCanonicalizer is implemented by a driver whose system accepts a VM's
// id in more than one spelling (libvirt reads a UUID in either case, with
// or without dashes). The engine uses it to check ids it did not get from
// the driver (a state file, an import) before it plans with them: ids are
// compared as strings, so one VM in two spellings would be two VMs.
type IDCanonicalizer interface {
	// CanonicalID returns the spelling Inventory and Create use for id,
	// and false when id is no id of this driver in any spelling.
	CanonicalID(id string) (string, bool)
}

// CanonicalID returns d's spelling of id (IDCanonicalizer), or id itself
// for a driver whose ids have one spelling; false when d says id is none
// of its ids, or when CheckID refuses it.
func CanonicalID(d Driver, id string) (string, bool) {
	if CheckID(id) != nil {
		return id, false
	}
	if c, ok := d.(IDCanonicalizer); ok {
		return c.CanonicalID(id)
	}
	return id, true
}

// CheckID returns a permanent error for text no driver hands out as an id
// but a system might read as one: with spaces around it, or holding a
// control character or a byte that is not UTF-8. (An empty id names no VM:
// not found.) Update, Delete and Migrate call it first.
func CheckID(id string) error {
	switch {
	case !utf8.ValidString(id):
		return Errorf(KindPermanent, "the VM id %q is not UTF-8", id)
	case strings.TrimFunc(id, unicode.IsSpace) != id:
		return Errorf(KindPermanent, "the VM id %q has spaces around it; ids are compared exactly, as the provider reports them", id)
	case strings.IndexFunc(id, unicode.IsControl) >= 0:
		return Errorf(KindPermanent, "the VM id %q holds a control character", id)
	}
	return nil
}

// NotCanonical is the permanent error of an id in another spelling than
// the one the driver reports.
func NotCanonical(id, canonical string) error {
	return &Error{Kind: KindPermanent, Err: fmt.Errorf(
		"the VM id %q is not written as the provider reports it (%q): ids are compared exactly, so it is refused rather than taken for that VM",
		id, canonical)}
}
