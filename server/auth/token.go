package auth

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/novacron/novacron/internal/atomicfile"
)

// A login token is "ncs_" PAYLOAD "." MAC: PAYLOAD the unpadded URL-safe
// base64 of {"u":USER,"exp":UNIX,"id":RANDOM,"g":GENERATION} (the user's
// Generation when the token was made), MAC that of
// HMAC-SHA256(key, "ncs_" PAYLOAD). One algorithm, fixed: there is no
// header to choose another.
const (
	loginPrefix  = "ncs_"
	maxTokenSize = 1024
	keySize      = 32
)

// KeyPath is where the signing key of the estate at root is kept.
func KeyPath(root string) string {
	return filepath.Join(root, ".nova", "server", "signing.key")
}

// loginClaims is a login token's payload.
type loginClaims struct {
	User    string `json:"u"`
	Expires int64  `json:"exp"`
	ID      string `json:"id"`
	Gen     string `json:"g,omitempty"`
}

// signLogin returns a token for user, of generation gen, that expires at
// exp.
func signLogin(key []byte, user, gen string, exp time.Time) (string, error) {
	id := make([]byte, 16)
	if _, err := rand.Read(id); err != nil {
		return "", err
	}
	payload, err := json.Marshal(loginClaims{User: user, Expires: exp.Unix(), ID: base64.RawURLEncoding.EncodeToString(id), Gen: gen})
	if err != nil {
		return "", err
	}
	signed := loginPrefix + base64.RawURLEncoding.EncodeToString(payload)
	return signed + "." + base64.RawURLEncoding.EncodeToString(mac(key, signed)), nil
}

func mac(key []byte, signed string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(signed))
	return m.Sum(nil)
}

// Why a login token is refused; Authenticate wraps each in ErrUnauthorized.
var (
	errMalformed = errors.New("malformed token")
	errSignature = errors.New("token signature does not match")
	errExpired   = errors.New("token expired")
)

// verifyLogin checks a login token's signature, then its expiry, and
// returns its claims.
func verifyLogin(key []byte, token string, now time.Time) (*loginClaims, error) {
	if len(token) > maxTokenSize || !strings.HasPrefix(token, loginPrefix) {
		return nil, errMalformed
	}
	signed, sig, ok := strings.Cut(token, ".")
	if !ok {
		return nil, errMalformed
	}
	// Strict: a signature has one spelling. The lenient decoder ignores
	// the last character's unused bits, so several strings would verify.
	got, err := base64.RawURLEncoding.Strict().DecodeString(sig)
	if err != nil {
		return nil, errMalformed
	}
	if !hmac.Equal(got, mac(key, signed)) {
		return nil, errSignature
	}
	payload, err := base64.RawURLEncoding.Strict().DecodeString(strings.TrimPrefix(signed, loginPrefix))
	if err != nil {
		return nil, errMalformed
	}
	var c loginClaims
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil || c.User == "" || c.ID == "" || c.Expires == 0 {
		return nil, errMalformed
	}
	if !now.Before(time.Unix(c.Expires, 0)) {
		return nil, errExpired
	}
	return &c, nil
}

// loadKey reads the signing key at path, or makes one (32 bytes from
// crypto/rand, mode 0600) when there is none. Two servers starting at
// once end with the same key: the file is linked into place only if
// absent.
func loadKey(path string) ([]byte, error) {
	key, _, err := readPrivate(path, keySize)
	if err == nil {
		if len(key) != keySize {
			return nil, &FileError{Path: path, Problem: fmt.Sprintf("%d bytes: a signing key has %d; delete the file to make a new one (every login token then stops working)", len(key), keySize)}
		}
		return key, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	key = make([]byte, keySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := createOnce(path, key); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return loadKey(path)
		}
		return nil, err
	}
	return key, nil
}

// createOnce writes data to path (mode 0600) unless path exists, without
// a moment where path holds part of data.
func createOnce(path string, data []byte) error {
	tmp := path + ".new"
	if err := atomicfile.Write(tmp, data); err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil {
		return err
	}
	return atomicfile.SyncDir(filepath.Dir(path))
}
