package ec2

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"

	"github.com/novacron/novacron/engine/driver"
)

// clientToken is the RunInstances ClientToken of a VM: a digest of its
// marker's lineage, address and spec hash, and the driver's nonce. Every
// attempt of one Create, and every retry of it by the executor, sends the
// same token, so EC2 launches at most one instance for them however many
// answers are lost. A later apply (another driver, another nonce) that
// needs the VM again finds an instance launched before by its marker and
// adopts it; it launches anew only where none is left, as a replace does,
// never getting back the instance a token launched before. A VM without
// a marker has no token.
func clientToken(m driver.Marker, nonce string) string {
	if m == (driver.Marker{}) {
		return ""
	}
	sum := sha256.Sum256([]byte(m.Lineage + "\x00" + m.Address + "\x00" + m.SpecHash))
	return "nc-" + hex.EncodeToString(sum[:16]) + "-" + nonce
}

// newNonce is a driver's nonce: 16 random hex digits.
func newNonce() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
