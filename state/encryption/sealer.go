package encryption

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"

	"github.com/novacron/novacron/state"
)

const (
	nonceSize = 12 // GCM's standard nonce
	tagSize   = 16
)

// Sealer encrypts state documents under one key or passphrase. It is safe
// for concurrent use.
type Sealer struct {
	varName    string // the environment variable the key came from, for messages
	passphrase string // set for a passphrase; key is then derived per salt
	params     argonParams

	mu      sync.Mutex
	fixed   *sealKey            // the key itself (NOVA_STATE_KEY)
	derived map[string]*sealKey // passphrase keys by salt and parameters
	writing *sealKey            // the key Seal uses
	plain   bool                // Open returned a plaintext document
}

var _ state.Sealer = (*Sealer)(nil)

// sealKey is a key ready for use, with what its envelope header says.
type sealKey struct {
	aead        cipher.AEAD
	fingerprint string
	kdf         string
	params      *argonParams
	salt        []byte
}

// NewWithKey returns a Sealer for a 32-byte key; varName names where it
// came from in messages ("NOVA_STATE_KEY").
func NewWithKey(key []byte, varName string) (*Sealer, error) {
	k, err := newSealKey(key, KDFNone, nil, nil)
	if err != nil {
		return nil, err
	}
	return &Sealer{varName: varName, fixed: k, writing: k}, nil
}

// NewWithPassphrase returns a Sealer that derives its keys from a
// passphrase with argon2id (DefaultArgon2 for the documents it writes);
// varName names where it came from in messages. Nothing is derived until
// the first Seal or Open.
func NewWithPassphrase(passphrase, varName string) (*Sealer, error) {
	if n := len([]rune(passphrase)); n < MinPassphrase {
		return nil, fmt.Errorf("%s is %d characters long: a passphrase needs at least %d (longer is better), or use a random key in %s",
			varName, n, MinPassphrase, keyVarFor(varName))
	}
	return &Sealer{varName: varName, passphrase: passphrase, params: DefaultArgon2, derived: map[string]*sealKey{}}, nil
}

func keyVarFor(passVar string) string {
	if passVar == EnvNewPassphrase {
		return EnvNewKey
	}
	return EnvKey
}

func newSealKey(key []byte, kdf string, params *argonParams, salt []byte) (*sealKey, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("an AES-256 key is %d bytes, not %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &sealKey{aead: aead, fingerprint: fingerprint(key), kdf: kdf, params: params, salt: salt}, nil
}

// fingerprint names a key without revealing it: the first 8 bytes of an
// HMAC-SHA256 of a fixed label under the key, in hex.
func fingerprint(key []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("novacron state key fingerprint v1"))
	return hex.EncodeToString(m.Sum(nil)[:8])
}

// Describe names the key for messages: "the key in NOVA_STATE_KEY
// (fingerprint …)" or "the passphrase in NOVA_STATE_PASSPHRASE".
func (s *Sealer) Describe() string {
	if s.fixed != nil {
		return fmt.Sprintf("the key in %s (fingerprint %s)", s.varName, s.fixed.fingerprint)
	}
	return "the passphrase in " + s.varName
}

// Var is the environment variable the key or passphrase came from.
func (s *Sealer) Var() string { return s.varName }

// OpenedPlaintext reports whether Open has returned a plaintext document
// since the last call, and forgets it: the caller tells the user once that
// the next write encrypts it.
func (s *Sealer) OpenedPlaintext() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.plain
	s.plain = false
	return p
}

// Seal encrypts a document with a fresh random nonce.
func (s *Sealer) Seal(plain []byte) ([]byte, error) {
	k, err := s.writeKey()
	if err != nil {
		return nil, err
	}
	e := &envelope{header: header{Version: EnvelopeVersion, Alg: AlgAESGCM, KDF: k.kdf, Params: k.params, Salt: k.salt, KeyID: k.fingerprint}}
	e.Nonce = make([]byte, nonceSize)
	if _, err := rand.Read(e.Nonce); err != nil {
		return nil, fmt.Errorf("making a nonce: %w", err)
	}
	aad := e.additionalData()
	e.Ciphertext = k.aead.Seal(nil, e.Nonce, plain, aad)
	return e.encode(aad), nil
}

// writeKey returns the key Seal uses: the key itself, or the passphrase's
// key of the first document opened, or one derived with a new salt.
func (s *Sealer) writeKey() (*sealKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.writing != nil {
		return s.writing, nil
	}
	salt := make([]byte, saltSize)
	if _, err := rand.Read(salt); err != nil {
		return nil, fmt.Errorf("making a salt: %w", err)
	}
	k, err := s.deriveLocked(s.params, salt)
	if err != nil {
		return nil, err
	}
	s.writing = k
	return k, nil
}

func (s *Sealer) deriveLocked(p argonParams, salt []byte) (*sealKey, error) {
	id := fmt.Sprintf("%d/%d/%d/%x", p.Time, p.MemoryKiB, p.Threads, salt)
	if k, ok := s.derived[id]; ok {
		return k, nil
	}
	k, err := newSealKey(p.derive(s.passphrase, salt), KDFArgon2, &p, salt)
	if err != nil {
		return nil, err
	}
	s.derived[id] = k
	return k, nil
}

// Open returns the plaintext of stored bytes: a sealed document
// decrypted, a plaintext one unchanged. A key other than the document's is
// a *WrongKeyError, a document altered or cut short a *DamagedError.
func (s *Sealer) Open(stored []byte) ([]byte, error) {
	if !state.IsSealed(stored) {
		if unversioned(stored) {
			return nil, &DamagedError{Reason: "its envelope is not one NovaCron writes (no novacron_sealed_state, which every envelope begins with)"}
		}
		s.mu.Lock()
		s.plain = true
		s.mu.Unlock()
		return stored, nil
	}
	e, err := decodeEnvelope(stored)
	if err != nil {
		return nil, err
	}
	k, err := s.keyFor(e)
	if err != nil {
		return nil, err
	}
	plain, err := k.aead.Open(nil, e.Nonce, e.Ciphertext, e.header.additionalData())
	if err != nil {
		return nil, &DamagedError{Reason: "its authentication failed although the key is the right one (the fingerprints match): the ciphertext or its header was altered"}
	}
	s.adopt(k)
	return plain, nil
}

// CheckKey tells from the head of a sealed document, its envelope's
// header, whether s opens it (state.KeyChecker): a passphrase's key is
// derived for the header's salt, once. A head of another layout than
// Seal's, or of another envelope version, is left undecided.
func (s *Sealer) CheckKey(head []byte) (bool, error) {
	i := bytes.Index(head, []byte(`,"nonce":"`))
	if i < 0 {
		return false, nil
	}
	var h header
	if err := strictJSON(append(bytes.Clone(head[:i]), '}'), &h); err != nil || h.Version != EnvelopeVersion {
		return false, nil
	}
	_, err := s.keyFor(&envelope{header: h})
	return true, err
}

// keyFor returns the key that opens e, or the error that says why this
// Sealer's key is not that one.
func (s *Sealer) keyFor(e *envelope) (*sealKey, error) {
	switch e.KDF {
	case KDFNone:
		if s.fixed == nil {
			return nil, &WrongKeyError{Var: s.varName, StoredKDF: e.KDF, Stored: e.KeyID}
		}
		if e.KeyID != s.fixed.fingerprint {
			return nil, &WrongKeyError{Var: s.varName, StoredKDF: e.KDF, Stored: e.KeyID, Given: s.fixed.fingerprint}
		}
		return s.fixed, nil
	case KDFArgon2:
		if s.fixed != nil {
			return nil, &WrongKeyError{Var: s.varName, StoredKDF: e.KDF, Passphrase: false}
		}
		return s.passphraseKey(e)
	}
	return nil, &DamagedError{Reason: fmt.Sprintf("its key derivation %q is not one this build knows (%s, %s)", e.KDF, KDFNone, KDFArgon2)}
}

func (s *Sealer) passphraseKey(e *envelope) (*sealKey, error) {
	if e.Params == nil || len(e.Salt) < 8 {
		return nil, &DamagedError{Reason: "its argon2id parameters or salt are missing"}
	}
	if err := e.Params.check(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	k, err := s.deriveLocked(*e.Params, e.Salt)
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if k.fingerprint != e.KeyID {
		return nil, &WrongKeyError{Var: s.varName, StoredKDF: e.KDF, Passphrase: true}
	}
	return k, nil
}

// adopt makes a passphrase key that opened a document the one Seal uses,
// when Seal has none yet: the writes that follow a read derive nothing.
func (s *Sealer) adopt(k *sealKey) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.writing == nil {
		s.writing = k
	}
}

// WrongKeyError is a sealed document opened with a key other than the one
// it was sealed with.
type WrongKeyError struct {
	Var        string // the variable holding the key given
	StoredKDF  string // KDFNone: sealed with a key; KDFArgon2: with a passphrase
	Stored     string // the document's key fingerprint (KDFNone)
	Given      string // the given key's fingerprint, when it is a key and so is the document's
	Passphrase bool   // both are passphrases
}

func (e *WrongKeyError) Error() string {
	switch {
	case e.StoredKDF == KDFNone && e.Given == "":
		return fmt.Sprintf("the state was encrypted with a key (fingerprint %s), not a passphrase: set %s to that key instead of %s",
			e.Stored, keyVarFor(e.Var), e.Var)
	case e.StoredKDF == KDFNone:
		return fmt.Sprintf("the state was encrypted with another key (fingerprint %s), not the one in %s (fingerprint %s): set %s to the key it was written with",
			e.Stored, e.Var, e.Given, e.Var)
	case e.Passphrase:
		return fmt.Sprintf("the state was encrypted with another passphrase, not the one in %s: set %s to the passphrase it was written with", e.Var, e.Var)
	}
	return fmt.Sprintf("the state was encrypted with a passphrase, not a key: set %s to that passphrase instead of %s", passVarFor(e.Var), e.Var)
}

func passVarFor(keyVar string) string {
	if keyVar == EnvNewKey {
		return EnvNewPassphrase
	}
	return EnvPassphrase
}

// DamagedError is a sealed document that cannot be opened whatever the
// key: altered, cut short, or not an envelope this build reads.
type DamagedError struct {
	Reason string
}

func (e *DamagedError) Error() string {
	return "the encrypted state is damaged: " + e.Reason + "; it was left as it is"
}

// IsWrongKey reports whether err is, or wraps, a *WrongKeyError.
func IsWrongKey(err error) bool {
	var w *WrongKeyError
	return errors.As(err, &w)
}
