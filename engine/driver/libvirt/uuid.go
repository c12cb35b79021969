package libvirt

import (
	"crypto/rand"
	"encoding/hex"

	lv "github.com/digitalocean/go-libvirt"

	"github.com/novacron/novacron/engine/driver"
)

// newUUID returns a random (version 4) UUID for a new domain.
func newUUID() lv.UUID {
	var u lv.UUID
	rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return u
}

// formatUUID renders a UUID as libvirt does: 8-4-4-4-12 lower-case hex.
// It is the canonical spelling of a VM id.
func formatUUID(u lv.UUID) string {
	h := hex.EncodeToString(u[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// parseUUID reads a UUID in any spelling libvirt reads: hex digits of
// either case, 8-4-4-4-12 with dashes, or the 32 digits without.
func parseUUID(s string) (lv.UUID, bool) {
	var u lv.UUID
	switch len(s) {
	case 36:
		if s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
			return u, false
		}
		s = s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:36]
	case 32:
	default:
		return u, false
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return u, false
	}
	copy(u[:], b)
	return u, true
}

// CanonicalID returns a VM id (a domain UUID) as libvirt writes it: lower
// case, with dashes. False for text that is no UUID.
func (d *Driver) CanonicalID(id string) (string, bool) {
	u, ok := parseUUID(id)
	if !ok {
		return id, false
	}
	return formatUUID(u), true
}

var _ driver.IDCanonicalizer = (*Driver)(nil)

// checkID refuses, with a permanent error, an id that is not canonical:
// libvirt would take an upper-case UUID, or one without dashes, for the
// VM, and a state holding one VM in two spellings would then have a plan
// delete it for an address that takes it for gone. It returns the UUID of
// a canonical id, and false for an id that is no UUID (no VM has it).
func checkID(id string) (lv.UUID, bool, error) {
	if err := driver.CheckID(id); err != nil {
		return lv.UUID{}, false, err
	}
	u, ok := parseUUID(id)
	if !ok {
		return u, false, nil
	}
	if c := formatUUID(u); c != id {
		return u, false, driver.NotCanonical(id, c)
	}
	return u, true, nil
}
