package state

import (
	"bytes"
	"errors"
)

// Sealer encrypts the documents a backend stores (state/encryption makes
// one). A backend given no Sealer stores plaintext.
type Sealer interface {
	// Seal returns the bytes to store for a document's plaintext. They
	// begin with SealedPrefix, except from the Sealer of `state rekey
	// -decrypt` (encryption.Rekey without a new key), which stores
	// plaintext.
	Seal(plain []byte) ([]byte, error)
	// Open returns the plaintext of stored bytes: a sealed document
	// decrypted, a plaintext one as it is. A wrong key is an error that
	// says so, never garbage.
	Open(stored []byte) ([]byte, error)
}

// KeyChecker is a Sealer that tells from the head of a sealed document
// (its first SealedHeadBytes) whether its key opens it, so that a backend
// checks what it is about to replace without fetching the whole document.
// decided is false when the head alone cannot tell: the backend then opens
// the whole document. When decided, err is nil for the document's key and
// the error Open would return for another.
type KeyChecker interface {
	CheckKey(head []byte) (decided bool, err error)
}

// SealedHeadBytes is how much of a sealed document a KeyChecker is given.
const SealedHeadBytes = 1024

// SealedPrefix begins every sealed document, so a backend without a key
// can tell it from a plaintext one.
const SealedPrefix = `{"novacron_sealed_state":`

// IsSealed reports whether stored bytes are a sealed document.
func IsSealed(stored []byte) bool {
	return bytes.HasPrefix(bytes.TrimLeft(stored, " \t\r\n"), []byte(SealedPrefix))
}

// ErrNoKey is returned for a sealed document read without a key.
var ErrNoKey = errors.New("the state is encrypted and no key was given: set NOVA_STATE_KEY (or NOVA_STATE_PASSPHRASE) to the key it was written with")

// OpenStored returns the plaintext of stored bytes with sealer, which may
// be nil: a sealed document without a sealer is ErrNoKey, never read as
// text.
func OpenStored(sealer Sealer, stored []byte) ([]byte, error) {
	if sealer != nil {
		return sealer.Open(stored)
	}
	if IsSealed(stored) {
		return nil, ErrNoKey
	}
	return stored, nil
}
