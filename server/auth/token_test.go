package auth

import (
	"context"
	"encoding/base64"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func TestLoginTokenAuthenticates(t *testing.T) {
	s, _, c := newEstate(t, Options{TokenTTL: 10 * time.Minute})
	token, p, err := s.Login(context.Background(), "bob", bobPassword, "192.0.2.1:5000")
	must(t, err)
	if !p.Expires.Equal(c.t.Add(10 * time.Minute)) {
		t.Errorf("Expires = %v, want 10 minutes from now", p.Expires)
	}
	for name, r := range map[string]bool{"bearer": false, "cookie": true} {
		req := bearer(token)
		if r {
			req = withCookie(token)
		}
		got, err := s.Authenticate(req)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got.Name != "bob" || got.Roles["prod"] != Operator || got.Cookie != r {
			t.Errorf("%s: principal %+v", name, got)
		}
		if !got.Can(Apply, "prod") || got.Can(Read, "dev") {
			t.Errorf("%s: bob's roles are wrong: %v", name, got.Roles)
		}
	}
}

func TestLoginTokenRefused(t *testing.T) {
	s, root, c := newEstate(t, Options{TokenTTL: time.Hour})
	token := login(t, s, "alice", alicePassword)
	users, err := ReadUsers(UsersPath(root))
	must(t, err)
	signed, sig, _ := strings.Cut(token, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(signed, loginPrefix))
	forged := loginPrefix + base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(payload), `"alice"`, `"bob__"`, 1)))

	otherKey, err := loadKey(KeyPath(t.TempDir()))
	must(t, err)
	wrongKey, err := signLogin(otherKey, "alice", users.User("alice").Generation, c.t.Add(time.Hour))
	must(t, err)

	cases := map[string]string{
		"tampered payload":         forged + "." + sig,
		"tampered signature":       signed + "." + flip(sig),
		"signature cut":            signed + "." + sig[:len(sig)-2],
		"signature's unused bits":  signed + "." + unusedBits(sig),
		"no signature":             signed,
		"signed with another key":  wrongKey,
		"not base64":               loginPrefix + "!!!." + sig,
		"empty":                    "",
		"garbage":                  "hello",
		"an API token's shape":     apiPrefix + strings.Repeat("A", 43),
		"huge":                     loginPrefix + strings.Repeat("A", 5000) + "." + sig,
		"a JWT with alg none":      "eyJhbGciOiJub25lIn0.eyJ1IjoiYWxpY2UifQ.",
		"the key file's own bytes": string(s.key),
	}
	for name, tok := range cases {
		_, err := s.Authenticate(bearer(tok))
		if !errors.Is(err, ErrUnauthorized) {
			t.Errorf("%s: Authenticate = %v, want ErrUnauthorized", name, err)
		}
	}
	c.advance(time.Hour)
	if _, err := s.Authenticate(bearer(token)); !errors.Is(err, ErrUnauthorized) || !strings.Contains(err.Error(), "expired") {
		t.Errorf("expired: Authenticate = %v, want ErrUnauthorized (expired)", err)
	}
}

// flip changes the first character of a base64 string.
// unusedBits respells a 32-byte signature: its last character carries
// four bits and two unused ones, and this sets an unused one.
func unusedBits(sig string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	i := strings.IndexByte(alphabet, sig[len(sig)-1])
	return sig[:len(sig)-1] + string(alphabet[i|1])
}

func flip(s string) string {
	if s[0] == 'A' {
		return "B" + s[1:]
	}
	return "A" + s[1:]
}

func TestRemovedOrDisabledUserTokenRefused(t *testing.T) {
	s, root, _ := newEstate(t, Options{})
	users := UsersPath(root)
	bob := login(t, s, "bob", bobPassword)
	alice := login(t, s, "alice", alicePassword)

	must(t, SetRole(users, "bob", "prod", Viewer))
	p, err := s.Authenticate(bearer(bob))
	must(t, err)
	if p.Can(Apply, "prod") || !p.Can(Read, "prod") {
		t.Errorf("bob's role change did not take effect at once: %v", p.Roles)
	}

	must(t, SetDisabled(users, "bob", true))
	if _, err := s.Authenticate(bearer(bob)); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("disabled user's token: %v, want ErrUnauthorized", err)
	}
	if _, _, err := s.Login(context.Background(), "bob", bobPassword, "192.0.2.2"); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("disabled user's login: %v, want ErrBadCredentials", err)
	}
	must(t, SetDisabled(users, "bob", false))
	if _, err := s.Authenticate(bearer(bob)); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("enabled again, the token of before the disabling: %v, want ErrUnauthorized", err)
	}
	bob = login(t, s, "bob", bobPassword)
	must(t, RemoveUser(users, "bob"))
	if _, err := s.Authenticate(bearer(bob)); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("removed user's token: %v, want ErrUnauthorized", err)
	}
	if _, err := s.Authenticate(bearer(alice)); err != nil {
		t.Errorf("alice's token after bob was removed: %v", err)
	}
}

func TestLogout(t *testing.T) {
	s, _, _ := newEstate(t, Options{})
	first := login(t, s, "alice", alicePassword)
	second := login(t, s, "alice", alicePassword)
	must(t, s.Logout(first))
	if _, err := s.Authenticate(withCookie(first)); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("logged-out token: %v", err)
	}
	if _, err := s.Authenticate(withCookie(second)); err != nil {
		t.Errorf("the other session: %v", err)
	}
	if err := s.Logout("nonsense"); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("Logout(nonsense) = %v", err)
	}
}

func TestRevocationsBounded(t *testing.T) {
	now := time.Now()
	r := revocations{max: 3, ids: map[string]time.Time{}}
	for i, id := range []string{"a", "b", "c", "d", "e"} {
		r.add(id, now.Add(time.Duration(i+1)*time.Minute), now)
	}
	if len(r.ids) != 3 || !r.has("e") || !r.has("d") || !r.has("c") || r.has("a") {
		t.Errorf("revocations kept %v, want the three expiring last", r.ids)
	}
}

func TestAuthorizationHeader(t *testing.T) {
	s, _, _ := newEstate(t, Options{})
	token := login(t, s, "alice", alicePassword)
	for _, h := range []string{"Basic " + token, "Bearer", "Bearer ", token} {
		r := withCookie(token) // a bad header is not saved by a good cookie
		r.Header.Set("Authorization", h)
		if _, err := s.Authenticate(r); !errors.Is(err, ErrUnauthorized) {
			t.Errorf("Authorization %.10q…: %v", h, err)
		}
	}
	r := bearer(token)
	r.Header.Set("Authorization", "bearer "+token)
	if _, err := s.Authenticate(r); err != nil {
		t.Errorf("lowercase scheme: %v", err)
	}
}

func TestSigningKeyFile(t *testing.T) {
	s, root, c := newEstate(t, Options{})
	fi, err := os.Stat(KeyPath(root))
	must(t, err)
	if fi.Mode().Perm() != 0o600 || fi.Size() != 32 {
		t.Errorf("signing.key: mode %v, %d bytes; want 0600, 32", fi.Mode(), fi.Size())
	}
	token := login(t, s, "alice", alicePassword)
	again, err := Open(root, Options{Now: c.now}) // the test's clock: the token is not expired on it
	must(t, err)
	if _, err := again.Authenticate(bearer(token)); err != nil {
		t.Errorf("a token from before a restart: %v", err)
	}
	must(t, os.Chmod(KeyPath(root), 0o640))
	if _, err := Open(root, Options{}); err == nil || !strings.Contains(err.Error(), "chmod 600 "+KeyPath(root)) {
		t.Errorf("a readable key: %v", err)
	}
}
