package encryption

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
)

// The environment variables a Sealer comes from: the key or passphrase in
// use, and for `state rekey` the new one.
const (
	EnvKey           = "NOVA_STATE_KEY"
	EnvPassphrase    = "NOVA_STATE_PASSPHRASE"
	EnvNewKey        = "NOVA_STATE_NEW_KEY"
	EnvNewPassphrase = "NOVA_STATE_NEW_PASSPHRASE"
)

// CurrentVar is the variable that gives, for later commands, the key
// `state rekey` took from newVar: NOVA_STATE_KEY for NOVA_STATE_NEW_KEY,
// NOVA_STATE_PASSPHRASE for NOVA_STATE_NEW_PASSPHRASE.
func CurrentVar(newVar string) string {
	if newVar == EnvNewPassphrase {
		return EnvPassphrase
	}
	return EnvKey
}

// KeySize is the size of an AES-256 key.
const KeySize = 32

// MinPassphrase is the shortest passphrase accepted, in characters.
const MinPassphrase = 8

// FromEnv returns the Sealer that NOVA_STATE_KEY or NOVA_STATE_PASSPHRASE
// in environ (KEY=VALUE entries, as os.Environ) asks for, or nil when
// neither is set. Both set, an empty one, or a key of another shape is an
// error that names the variable and never quotes its value.
func FromEnv(environ []string) (*Sealer, error) {
	return fromEnv(environ, EnvKey, EnvPassphrase)
}

// NewFromEnv is FromEnv for NOVA_STATE_NEW_KEY and
// NOVA_STATE_NEW_PASSPHRASE: the key `state rekey` writes with.
func NewFromEnv(environ []string) (*Sealer, error) {
	return fromEnv(environ, EnvNewKey, EnvNewPassphrase)
}

func fromEnv(environ []string, keyVar, passVar string) (*Sealer, error) {
	key, hasKey := lookup(environ, keyVar)
	pass, hasPass := lookup(environ, passVar)
	switch {
	case hasKey && hasPass:
		return nil, fmt.Errorf("both %s and %s are set: set one of them (a key, or a passphrase to derive the key from)", keyVar, passVar)
	case hasKey:
		k, err := ParseKey(key, keyVar)
		if err != nil {
			return nil, err
		}
		return NewWithKey(k, keyVar)
	case hasPass:
		return NewWithPassphrase(pass, passVar)
	}
	return nil, nil
}

// lookup returns the last value of name in environ, as the shell does.
func lookup(environ []string, name string) (string, bool) {
	val, found := "", false
	for _, kv := range environ {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			val, found = v, true
		}
	}
	return val, found
}

// ParseKey reads a 32-byte key written as 64 hex digits or in base64
// (standard or URL alphabet, with or without padding). Surrounding spaces
// and a trailing newline are ignored. Its error names the variable and
// the shape expected, never the value.
func ParseKey(text, varName string) ([]byte, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, fmt.Errorf("%s is set but empty: %s; unset it to store the state unencrypted", varName, keyShape)
	}
	if k, err := hex.DecodeString(text); err == nil {
		if len(k) != KeySize {
			return nil, fmt.Errorf("%s is hex of %d bytes, not %d: %s", varName, len(k), KeySize, keyShape)
		}
		return k, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(text); err == nil {
			if len(k) != KeySize {
				return nil, fmt.Errorf("%s is base64 of %d bytes, not %d: %s", varName, len(k), KeySize, keyShape)
			}
			return k, nil
		}
	}
	return nil, fmt.Errorf("%s is neither hex nor base64 (its value is %d characters long): %s", varName, len(text), keyShape)
}

// keyShape says what a key must look like.
const keyShape = "a key is 32 random bytes written as 64 hex digits or 44 base64 characters; make one with `openssl rand -base64 32`"
