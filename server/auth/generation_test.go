package auth

import (
	"errors"
	"testing"
)

// TestLoginTokensEndWithTheirUser checks that a login token stops
// working when its user's password changes, when the user is disabled
// (and stays dead once enabled again), and when the user is removed —
// even if a user of the same name is added again, with other rights.
func TestLoginTokensEndWithTheirUser(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, users string)
	}{
		{"password changed", func(t *testing.T, users string) {
			must(t, SetPassword(users, "bob", "a brand new password"))
		}},
		{"removed and added again as admin", func(t *testing.T, users string) {
			must(t, RemoveUser(users, "bob"))
			must(t, AddUser(users, "bob", bobPassword, map[string]Role{"*": Admin}))
		}},
		{"disabled then enabled", func(t *testing.T, users string) {
			must(t, SetDisabled(users, "bob", true))
			must(t, SetDisabled(users, "bob", false))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, root, _ := newEstate(t, Options{})
			token := login(t, s, "bob", bobPassword)
			if _, err := s.Authenticate(bearer(token)); err != nil {
				t.Fatalf("before the change: %v", err)
			}
			tc.change(t, UsersPath(root))
			p, err := s.Authenticate(bearer(token))
			if !errors.Is(err, ErrUnauthorized) {
				t.Fatalf("after the change the old token gives %+v, %v; want ErrUnauthorized", p, err)
			}
			// A new login works.
			if tc.name != "password changed" {
				login(t, s, "bob", bobPassword)
			}
		})
	}
}

// TestRoleChangeKeepsLoginTokens checks that a role change does not end
// a user's logins: roles are read at each request, so the token carries
// the new role at once.
func TestRoleChangeKeepsLoginTokens(t *testing.T) {
	s, root, _ := newEstate(t, Options{})
	token := login(t, s, "bob", bobPassword)
	must(t, SetRole(UsersPath(root), "bob", "prod", Viewer))
	p, err := s.Authenticate(bearer(token))
	if err != nil {
		t.Fatalf("after a role change: %v", err)
	}
	if p.Roles["prod"] != Viewer {
		t.Errorf("bob's role on prod is %v, want viewer", p.Roles["prod"])
	}
}
