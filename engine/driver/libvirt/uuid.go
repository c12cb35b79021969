package libvirt

import (
	"crypto/rand"
	"encoding/hex"
	"strings"

	lv "github.com/digitalocean/go-libvirt"
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
func formatUUID(u lv.UUID) string {
	h := hex.EncodeToString(u[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// parseUUID reads a UUID in libvirt's form (dashes optional).
func parseUUID(s string) (lv.UUID, bool) {
	var u lv.UUID
	b, err := hex.DecodeString(strings.ReplaceAll(s, "-", ""))
	if err != nil || len(b) != len(u) {
		return u, false
	}
	copy(u[:], b)
	return u, true
}
