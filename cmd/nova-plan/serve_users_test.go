package main

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/novacron/novacron/server/auth"
)

// TestServeUsersAndTokens manages users and tokens through the binary,
// and logs in with them through server/auth, as the server does.
func TestServeUsersAndTokens(t *testing.T) {
	dir := t.TempDir()
	const alicePW, bobPW = "alice's long password", "bob's long password"
	var outputs []result
	run := func(stdin string, want int, args ...string) result {
		t.Helper()
		r := novaIn(t, dir, stdin, args...).Must(t, want, strings.Join(args, " "))
		outputs = append(outputs, r)
		return r
	}

	run(alicePW+"\n", 0, "serve", "user", "add", "alice", "-role", "admin")
	run(bobPW+"\r\n", 0, "serve", "user", "add", "-role=operator", "-workspace=prod", "bob")
	r := run("", 1, "serve", "user", "add", "carol", "-role", "viewer")
	if !strings.Contains(r.Stderr, "stdin, which is empty") {
		t.Errorf("no password: %s", r.Stderr)
	}
	r = run("short pass\n", 1, "serve", "user", "add", "carol", "-role", "viewer")
	if !strings.Contains(r.Stderr, "at least 12") {
		t.Errorf("short password: %s", r.Stderr)
	}
	run("carol's long password\n", 1, "serve", "user", "add", "carol", "-role", "root")
	run("alice's other password\n", 1, "serve", "user", "add", "alice", "-role", "viewer")

	users := filepath.Join(dir, ".nova", "server", "users.json")
	for _, f := range []string{users} {
		fi, err := os.Stat(f)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v, mode %v; want 0600", f, err, fi.Mode().Perm())
		}
	}

	list := run("", 0, "serve", "user", "list")
	want := []string{"alice", "admin of every workspace", "bob", "operator of prod"}
	for _, w := range want {
		if !strings.Contains(list.Stdout, w) {
			t.Errorf("user list lacks %q:\n%s", w, list.Stdout)
		}
	}
	if strings.Contains(list.Stdout, "carol") {
		t.Errorf("a refused user is listed:\n%s", list.Stdout)
	}

	s, err := auth.Open(dir, auth.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	bobToken, p, err := s.Login(ctx, "bob", bobPW, "127.0.0.1:1")
	if err != nil || !p.Can(auth.Apply, "prod") || p.Can(auth.Read, "dev") {
		t.Fatalf("bob's login: %v, %+v", err, p)
	}
	if _, _, err := s.Login(ctx, "alice", alicePW, "127.0.0.1:1"); err != nil {
		t.Fatalf("alice's login: %v", err)
	}

	run("", 0, "serve", "user", "role", "bob", "-role", "viewer", "-workspace", "prod")
	if p := authenticate(t, s, bobToken); p == nil || p.Can(auth.Apply, "prod") || !p.Can(auth.Read, "prod") {
		t.Errorf("bob after serve user role -role viewer: %+v", p)
	}
	run("", 0, "serve", "user", "disable", "bob")
	if p := authenticate(t, s, bobToken); p != nil {
		t.Error("a disabled user's login token works")
	}
	run("", 0, "serve", "user", "enable", "bob")
	run("bob's new long password\n", 0, "serve", "user", "password", "bob")
	if _, _, err := s.Login(ctx, "bob", "bob's new long password", "127.0.0.1:1"); err != nil {
		t.Errorf("bob's new password: %v", err)
	}

	created := run("", 0, "serve", "token", "create", "ci", "-role", "operator", "-workspace", "prod", "-ttl", "48h")
	token := strings.TrimSpace(created.Stdout)
	if !regexp.MustCompile(`^nct_[A-Za-z0-9_-]{43}$`).MatchString(token) {
		t.Fatalf("token create printed %q", created.Stdout)
	}
	if strings.Contains(created.Stderr, token) {
		t.Error("the token is on stderr too")
	}
	if p := authenticate(t, s, token); p == nil || p.Name != "token:ci" || !p.Can(auth.Plan, "prod") {
		t.Errorf("the API token: %+v", p)
	}
	data, err := os.ReadFile(users)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{token, token[4:], alicePW, bobPW} {
		if strings.Contains(string(data), secret) {
			t.Errorf("the users file holds a secret (%.8s…)", secret)
		}
	}
	tokens := run("", 0, "serve", "token", "list")
	if !strings.Contains(tokens.Stdout, "ci") || !strings.Contains(tokens.Stdout, "operator of prod") {
		t.Errorf("token list:\n%s", tokens.Stdout)
	}
	run("", 0, "serve", "token", "revoke", "ci")
	if p := authenticate(t, s, token); p != nil {
		t.Error("a revoked token works")
	}
	run("", 1, "serve", "token", "revoke", "ci")

	run("", 0, "serve", "user", "remove", "bob")
	run("", 1, "serve", "user", "remove", "alice") // the last admin
	if _, _, err := s.Login(ctx, "bob", "bob's new long password", "127.0.0.1:1"); !errors.Is(err, auth.ErrBadCredentials) {
		t.Errorf("a removed user logs in: %v", err)
	}

	for _, r := range outputs {
		for _, secret := range []string{alicePW, bobPW, "bob's new long password", "$argon2id$", "$2b$", token[4:]} {
			if strings.Contains(r.Stderr, secret) || (strings.Contains(r.Stdout, secret) && r.Stdout != created.Stdout) {
				t.Errorf("a secret (%.8s…) is in the output:\nstdout:\n%s\nstderr:\n%s", secret, r.Stdout, r.Stderr)
			}
		}
	}
}

func authenticate(t *testing.T, s *auth.Service, token string) *auth.Principal {
	t.Helper()
	r := httptest.NewRequest("GET", "/api/v1/workspaces", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	p, err := s.Authenticate(r)
	if err != nil && !errors.Is(err, auth.ErrUnauthorized) {
		t.Fatalf("Authenticate: %v", err)
	}
	return p
}

// TestServeUsersFileRefused: a users file others may read, or a malformed
// one, is refused with the file and what to do.
func TestServeUsersFileRefused(t *testing.T) {
	dir := t.TempDir()
	novaIn(t, dir, "alice's long password\n", "serve", "user", "add", "alice", "-role", "admin").Must(t, 0, "user add")
	users := filepath.Join(".nova", "server", "users.json")
	if err := os.Chmod(filepath.Join(dir, users), 0o644); err != nil {
		t.Fatal(err)
	}
	r := nova(t, dir, "serve", "user", "list").Must(t, 1, "user list of a 0644 file")
	if !strings.Contains(r.Stderr, users) || !strings.Contains(r.Stderr, "chmod 600") || r.Stdout != "" {
		t.Errorf("a 0644 users file:\nstdout:\n%s\nstderr:\n%s", r.Stdout, r.Stderr)
	}
	bad := `{"users": [{"name": "alice", "password_hash": "plain-text-secret", "roles": {"*": "admin"}}]}`
	if err := os.Remove(filepath.Join(dir, users)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, users), []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	r = nova(t, dir, "serve", "token", "list").Must(t, 1, "token list of a malformed file")
	if !strings.Contains(r.Stderr, users+": users[0].password_hash") || strings.Contains(r.Stderr, "plain-text-secret") {
		t.Errorf("a malformed users file:\n%s", r.Stderr)
	}
	r = nova(t, t.TempDir(), "serve", "user", "list").Must(t, 1, "user list with no users file")
	if !strings.Contains(r.Stderr, "There is no users file") {
		t.Errorf("no users file:\n%s", r.Stderr)
	}
}
