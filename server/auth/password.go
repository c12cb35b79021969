package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

// The argon2id parameters of new hashes: OWASP's recommendation of
// 19 MiB, two passes, one lane.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonSaltLen = 16
	argonKeyLen  = 32
)

// Bounds on the parameters of a hash read from the users file, so that a
// typo cannot make each login take minutes or gigabytes.
const (
	maxArgonMemory  = 1 << 20 // KiB: 1 GiB
	maxArgonTime    = 64
	maxArgonThreads = 64
	maxBcryptCost   = 16
)

// MinPasswordLength is the fewest characters a new password may have.
const MinPasswordLength = 12

// HashPassword returns an argon2id PHC string of password with a new
// random salt: $argon2id$v=19$m=…,t=…,p=…$SALT$HASH.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// passwordHash is a parsed PHC string: argon2id or bcrypt.
type passwordHash struct {
	bcrypt []byte // the whole bcrypt string, or nil for argon2id
	// argon2id
	memory, time uint32
	threads      uint8
	salt, key    []byte
}

// parseHash reads a PHC string. Its error says what is wrong without
// quoting the hash.
func parseHash(s string) (*passwordHash, error) {
	switch {
	case strings.HasPrefix(s, "$argon2id$"):
		return parseArgon2id(s)
	case strings.HasPrefix(s, "$2a$"), strings.HasPrefix(s, "$2b$"), strings.HasPrefix(s, "$2y$"):
		cost, err := bcrypt.Cost([]byte(s))
		if err != nil || len(s) != 60 {
			return nil, errors.New("not a valid bcrypt hash: want $2b$COST$ and 53 characters of salt and hash")
		}
		if cost > maxBcryptCost {
			return nil, fmt.Errorf("bcrypt cost %d is over %d: each login would take too long", cost, maxBcryptCost)
		}
		return &passwordHash{bcrypt: []byte(s)}, nil
	}
	return nil, errors.New("not an argon2id ($argon2id$v=19$m=…,t=…,p=…$SALT$HASH) or bcrypt ($2a$, $2b$) PHC string")
}

func parseArgon2id(s string) (*passwordHash, error) {
	bad := errors.New("not a valid argon2id PHC string: want $argon2id$v=19$m=MEMORY,t=TIME,p=THREADS$SALT$HASH, salt and hash in unpadded base64")
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" {
		return nil, bad
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || fmt.Sprintf("v=%d", v) != parts[2] {
		return nil, bad
	}
	if v != argon2.Version {
		return nil, fmt.Errorf("argon2id version %d: only version %d (v=19) is supported", v, argon2.Version)
	}
	var h passwordHash
	var threads uint32
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &h.memory, &h.time, &threads); err != nil ||
		fmt.Sprintf("m=%d,t=%d,p=%d", h.memory, h.time, threads) != parts[3] {
		return nil, bad
	}
	switch {
	case threads < 1 || threads > maxArgonThreads:
		return nil, fmt.Errorf("argon2id p=%d: want 1 to %d", threads, maxArgonThreads)
	case h.time < 1 || h.time > maxArgonTime:
		return nil, fmt.Errorf("argon2id t=%d: want 1 to %d", h.time, maxArgonTime)
	case h.memory < 8*threads || h.memory > maxArgonMemory:
		return nil, fmt.Errorf("argon2id m=%d: want %d to %d KiB", h.memory, 8*threads, maxArgonMemory)
	}
	h.threads = uint8(threads)
	var err1, err2 error
	h.salt, err1 = base64.RawStdEncoding.DecodeString(parts[4])
	h.key, err2 = base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(h.salt) < 8 || len(h.salt) > 64 || len(h.key) < 16 || len(h.key) > 128 {
		return nil, bad
	}
	return &h, nil
}

// verify reports whether password matches, in time that does not depend
// on where they differ.
func (h *passwordHash) verify(password string) bool {
	if h.bcrypt != nil {
		return bcrypt.CompareHashAndPassword(h.bcrypt, []byte(password)) == nil
	}
	key := argon2.IDKey([]byte(password), h.salt, h.time, h.memory, h.threads, uint32(len(h.key)))
	return subtle.ConstantTimeCompare(key, h.key) == 1
}

// CheckNewPassword says why password may not be set, or nil.
func CheckNewPassword(password string) error {
	if n := len([]rune(password)); n < MinPasswordLength {
		if n == 0 {
			return errors.New("the password is empty")
		}
		return fmt.Errorf("the password has %d characters: it needs at least %d", n, MinPasswordLength)
	}
	return nil
}

// randomPassword returns a new password of 24 URL-safe characters.
func randomPassword() (string, error) {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
