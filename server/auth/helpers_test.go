package auth

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// clock is a settable time for a Service.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

const (
	alicePassword = "correct horse battery"
	bobPassword   = "staple staple staple"
)

// newEstate makes a users file under a new root with alice (admin of
// every workspace) and bob (operator of prod), and opens a Service on it.
func newEstate(t testing.TB, o Options) (*Service, string, *clock) {
	t.Helper()
	root := t.TempDir()
	users := UsersPath(root)
	must(t, AddUser(users, "alice", alicePassword, map[string]Role{"*": Admin}))
	must(t, AddUser(users, "bob", bobPassword, map[string]Role{"prod": Operator}))
	c := &clock{t: time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC)}
	o.Now = c.now
	s, err := Open(root, o)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s, root, c
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func login(t *testing.T, s *Service, user, password string) string {
	t.Helper()
	token, p, err := s.Login(context.Background(), user, password, "192.0.2.1:5000")
	if err != nil {
		t.Fatalf("Login(%s): %v", user, err)
	}
	if p.Name != user {
		t.Fatalf("Login(%s) gave principal %q", user, p.Name)
	}
	return token
}

func bearer(token string) *http.Request {
	r := httptest.NewRequest("GET", "/api/v1/workspaces", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	return r
}

func withCookie(token string) *http.Request {
	r := httptest.NewRequest("GET", "/api/v1/workspaces", nil)
	r.AddCookie(&http.Cookie{Name: CookieName, Value: token})
	return r
}
