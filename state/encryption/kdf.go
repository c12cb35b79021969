package encryption

import (
	"fmt"

	"golang.org/x/crypto/argon2"
)

// argonParams are argon2id's cost parameters, kept in the envelope so a
// later build with other defaults still opens the document.
type argonParams struct {
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memory_kib"`
	Threads   uint8  `json:"threads"`
}

// DefaultArgon2 is RFC 9106's second recommended setting: 3 passes over
// 64 MiB with 4 lanes. A derivation takes a fraction of a second and is
// done once per process.
var DefaultArgon2 = argonParams{Time: 3, MemoryKiB: 64 * 1024, Threads: 4}

// saltSize is the size of a passphrase's random salt.
const saltSize = 16

// The largest costs an envelope may ask for: a document is refused rather
// than let its header make this process spend minutes or gigabytes.
const (
	maxArgonTime   = 64
	maxArgonMemKiB = 4 * 1024 * 1024 // 4 GiB
)

func (p argonParams) check() error {
	if p.Time < 1 || p.Time > maxArgonTime || p.MemoryKiB < 8*uint32(p.Threads) || p.MemoryKiB > maxArgonMemKiB || p.Threads < 1 {
		return &DamagedError{Reason: fmt.Sprintf("its argon2id parameters (time %d, memory %d KiB, threads %d) are outside what this build accepts (time 1 to %d, memory up to %d KiB)",
			p.Time, p.MemoryKiB, p.Threads, maxArgonTime, maxArgonMemKiB)}
	}
	return nil
}

func (p argonParams) derive(passphrase string, salt []byte) []byte {
	return argon2.IDKey([]byte(passphrase), salt, p.Time, p.MemoryKiB, p.Threads, KeySize)
}
