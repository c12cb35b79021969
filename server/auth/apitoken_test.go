package auth

import (
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestAPIToken(t *testing.T) {
	s, root, c := newEstate(t, Options{})
	users := UsersPath(root)
	token, err := CreateToken(users, "ci", map[string]Role{"prod": Operator}, 24*time.Hour, c.t)
	must(t, err)
	if !regexp.MustCompile(`^nct_[A-Za-z0-9_-]{43}$`).MatchString(token) {
		t.Fatalf("token %q is not nct_ and 43 URL-safe base64 characters", token)
	}
	data, err := os.ReadFile(users)
	must(t, err)
	if strings.Contains(string(data), token) || strings.Contains(string(data), token[len(apiPrefix):]) {
		t.Fatal("the users file holds the API token")
	}
	if !strings.Contains(string(data), tokenSum(token)) {
		t.Fatal("the users file does not hold the token's SHA-256")
	}

	p, err := s.Authenticate(bearer(token))
	must(t, err)
	if p.Name != "token:ci" || !p.Can(Apply, "prod") || p.Can(Manage, "") || p.Cookie {
		t.Errorf("principal %+v", p)
	}
	if _, err := s.Authenticate(withCookie(token)); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("an API token in the session cookie: %v, want ErrUnauthorized", err)
	}
	wrong := token[:len(token)-1] + map[bool]string{true: "B", false: "A"}[token[len(token)-1] == 'A']
	if _, err := s.Authenticate(bearer(wrong)); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("a token one character off: %v", err)
	}

	c.advance(24 * time.Hour)
	if _, err := s.Authenticate(bearer(token)); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("expired token: %v", err)
	}

	forever, err := CreateToken(users, "forever", map[string]Role{"*": Viewer}, 0, c.t)
	must(t, err)
	c.advance(10 * 365 * 24 * time.Hour)
	if _, err := s.Authenticate(bearer(forever)); err != nil {
		t.Errorf("a token without expiry: %v", err)
	}
	must(t, RevokeToken(users, "forever"))
	if _, err := s.Authenticate(bearer(forever)); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("revoked token: %v", err)
	}
	if err := RevokeToken(users, "forever"); err == nil {
		t.Error("revoking a token twice succeeds")
	}
	if _, err := CreateToken(users, "ci", map[string]Role{"*": Viewer}, time.Hour, c.t); err == nil {
		t.Error("a second token called ci was made")
	}
}
