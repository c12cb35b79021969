package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// An API token is "nct_" and 43 URL-safe base64 characters (32 random
// bytes). The users file keeps only its SHA-256.
const (
	apiPrefix   = "nct_"
	apiTokenLen = len(apiPrefix) + 43
)

// newAPIToken returns a new token and its SHA-256 in hex.
func newAPIToken() (token, sum string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = apiPrefix + base64.RawURLEncoding.EncodeToString(b)
	return token, tokenSum(token), nil
}

func tokenSum(token string) string {
	s := sha256.Sum256([]byte(token))
	return hex.EncodeToString(s[:])
}

// isAPIToken reports whether s has the form of an API token.
func isAPIToken(s string) bool {
	if len(s) != apiTokenLen || !strings.HasPrefix(s, apiPrefix) {
		return false
	}
	_, err := base64.RawURLEncoding.Strict().DecodeString(s[len(apiPrefix):])
	return err == nil
}

// findToken returns the token whose hash is that of token, or nil. It
// compares with every token's hash in constant time.
func (u *Users) findToken(token string) *Token {
	sum := []byte(tokenSum(token))
	var found *Token
	for i := range u.Tokens {
		if subtle.ConstantTimeCompare(sum, []byte(u.Tokens[i].SHA256)) == 1 {
			found = &u.Tokens[i]
		}
	}
	return found
}
