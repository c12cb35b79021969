package secret

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Cost is the work of one argon2id digest.
type Cost struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// DefaultCost is the cost of new digests: the minimum OWASP recommends for
// argon2id (19 MiB, 2 passes, 1 thread), tens of milliseconds. Raising it
// changes only digests made afterwards: each digest records its own.
var DefaultCost = Cost{MemoryKiB: 19 * 1024, Time: 2, Threads: 1}

// maxCost bounds what Verify accepts from a file, so that a doctored plan
// cannot make apply allocate without limit.
var maxCost = Cost{MemoryKiB: 1 << 20, Time: 64, Threads: 16}

const (
	saltLen = 16
	hashLen = 32
	// prefix starts every digest Hash makes (PHC string format).
	prefix = "$argon2id$v=19$"
)

var b64 = base64.RawStdEncoding

// ErrFormat is returned by Verify for a digest it cannot read, such as
// the salted SHA-256 ("salt:sum") that plans made by earlier versions hold.
var ErrFormat = errors.New("not an argon2id digest")

// Hash returns an argon2id digest of value with a new random salt, in the
// PHC string format: $argon2id$v=19$m=…,t=…,p=…$SALT$HASH.
func Hash(value []byte) string {
	salt := make([]byte, saltLen)
	_, _ = rand.Read(salt) // crypto/rand does not fail
	c := DefaultCost
	sum := argon2.IDKey(value, salt, c.Time, c.MemoryKiB, c.Threads, hashLen)
	return fmt.Sprintf("%sm=%d,t=%d,p=%d$%s$%s", prefix, c.MemoryKiB, c.Time, c.Threads, b64.EncodeToString(salt), b64.EncodeToString(sum))
}

// Verify reports whether value is the value digest was made from. It
// returns ErrFormat (wrapped) for a digest it cannot read.
func Verify(value []byte, digest string) (bool, error) {
	c, salt, sum, err := parse(digest)
	if err != nil {
		return false, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	got := argon2.IDKey(value, salt, c.Time, c.MemoryKiB, c.Threads, uint32(len(sum)))
	return subtle.ConstantTimeCompare(got, sum) == 1, nil
}

func parse(digest string) (c Cost, salt, sum []byte, err error) {
	rest, ok := strings.CutPrefix(digest, prefix)
	parts := strings.Split(rest, "$")
	if !ok || len(parts) != 3 {
		return c, nil, nil, errors.New("unknown layout")
	}
	if _, err := fmt.Sscanf(parts[0], "m=%d,t=%d,p=%d", &c.MemoryKiB, &c.Time, &c.Threads); err != nil {
		return c, nil, nil, errors.New("unreadable cost")
	}
	if c.MemoryKiB < 8*uint32(c.Threads) || c.MemoryKiB > maxCost.MemoryKiB || c.Time < 1 || c.Time > maxCost.Time || c.Threads < 1 || c.Threads > maxCost.Threads {
		return c, nil, nil, fmt.Errorf("cost m=%d,t=%d,p=%d out of bounds", c.MemoryKiB, c.Time, c.Threads)
	}
	salt, err1 := b64.DecodeString(parts[1])
	sum, err2 := b64.DecodeString(parts[2])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(sum) < 16 || len(sum) > 64 {
		return c, nil, nil, errors.New("unreadable salt or hash")
	}
	return c, salt, sum, nil
}
