package auth

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUsersFilePermissions(t *testing.T) {
	s, root, _ := newEstate(t, Options{})
	users := UsersPath(root)
	fi, err := os.Stat(users)
	must(t, err)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("users.json has mode %v, want 0600", fi.Mode().Perm())
	}
	dir, err := os.Stat(filepath.Dir(users))
	must(t, err)
	if dir.Mode().Perm() != 0o700 {
		t.Errorf(".nova/server has mode %v, want 0700", dir.Mode().Perm())
	}
	token := login(t, s, "alice", alicePassword)
	for _, mode := range []os.FileMode{0o644, 0o604, 0o620, 0o660, 0o640} {
		must(t, os.Chmod(users, mode))
		_, err := ReadUsers(users)
		if err == nil || !strings.Contains(err.Error(), users) || !strings.Contains(err.Error(), "chmod 600 "+users) {
			t.Errorf("mode %04o: ReadUsers = %v, want a refusal naming the file and chmod 600", mode, err)
		}
		if _, err := s.Authenticate(bearer(token)); err == nil {
			t.Errorf("mode %04o: the server still reads the users file", mode)
		}
		if _, err := Open(root, Options{}); err == nil {
			t.Errorf("mode %04o: Open accepts the users file", mode)
		}
	}
	must(t, os.Chmod(users, 0o600))
	if _, err := s.Authenticate(bearer(token)); err != nil {
		t.Errorf("after chmod 600: %v", err)
	}
}

func TestMalformedUsersFile(t *testing.T) {
	const hash = `$argon2id$v=19$m=65536,t=3,p=4$MIIRqgvgQbgj220jfp0MPA$YfwJSVjtjSU0zzV/P3S9nnQ/USre2wvJMjfCIjrTQbg`
	user := func(fields string) string {
		return `{"users": [{"name": "alice", "password_hash": "` + hash + `", "roles": {"*": "admin"}}, {` + fields + `}], "tokens": []}`
	}
	const sum = `"sha256": "0000000000000000000000000000000000000000000000000000000000000000"`
	cases := []struct{ name, content, want string }{
		{"not JSON", "{users", "line 1, column 2: invalid JSON"},
		{"syntax error on line 3", "{\n\"users\": [\n}", "line 3, column 1: invalid JSON"},
		{"empty", "", "ends too early"},
		{"unknown field", `{"users": [], "groups": []}`, `unknown field "groups"`},
		{"wrong type", `{"users": [{"name": 7}]}`, "users.name: number is not a JSON string"},
		{"bad name", user(`"name": "bo b", "password_hash": "` + hash + `", "roles": {}`), `users[1].name: name "bo b"`},
		{"duplicate name", user(`"name": "alice", "password_hash": "` + hash + `", "roles": {}`), `users[1].name: a second user called "alice"`},
		{"bad hash", user(`"name": "bob", "password_hash": "secret-in-clear", "roles": {}`), "users[1].password_hash: not an argon2id"},
		{"bad role", user(`"name": "bob", "password_hash": "` + hash + `", "roles": {"prod": "root"}`), `users[1].roles["prod"]: unknown role "root"`},
		{"bad workspace", user(`"name": "bob", "password_hash": "` + hash + `", "roles": {"a/b": "viewer"}`), `users[1].roles["a/b"]: workspace "a/b"`},
		{"token sum", `{"tokens": [{"name": "ci", "sha256": "abc", "roles": {}, "created": "2026-01-01T00:00:00Z"}]}`, "tokens[0].sha256: not a SHA-256"},
		{"token created", `{"tokens": [{"name": "ci", ` + sum + `, "roles": {}}]}`, "tokens[0].created: missing"},
		{"token roles", `{"tokens": [{"name": "ci", ` + sum + `, "roles": {"*": "god"}, "created": "2026-01-01T00:00:00Z"}]}`, `tokens[0].roles["*"]: unknown role "god"`},
		{"two values", `{} {}`, "more than one JSON value"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "users.json")
			must(t, os.WriteFile(path, []byte(c.content), 0o600))
			_, err := ReadUsers(path)
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.HasPrefix(err.Error(), path+": ") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q, want it to start with the file and contain %q", err, c.want)
			}
			if strings.Contains(err.Error(), "secret-in-clear") || strings.Contains(err.Error(), "YfwJSV") {
				t.Errorf("the error quotes a hash: %v", err)
			}
		})
	}
}

func TestUsersFileRoundTrip(t *testing.T) {
	_, root, _ := newEstate(t, Options{})
	users := UsersPath(root)
	before, err := os.ReadFile(users)
	must(t, err)
	must(t, UpdateUsers(users, false, func(*Users) error { return nil }))
	after, err := os.ReadFile(users)
	must(t, err)
	if string(before) != string(after) {
		t.Errorf("reading and writing the file changed it:\n%s\n---\n%s", before, after)
	}
	// A failed change leaves the file as it was.
	must(t, UpdateUsers(users, false, func(u *Users) error { u.Users = nil; return nil }))
	err = UpdateUsers(users, false, func(u *Users) error { u.Users = nil; return errors.New("no") })
	if err == nil {
		t.Fatal("the change's error is lost")
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(users), "*.tmp-*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
}

func TestLastAdminKept(t *testing.T) {
	_, root, _ := newEstate(t, Options{})
	users := UsersPath(root)
	for name, err := range map[string]error{
		"remove":  RemoveUser(users, "alice"),
		"disable": SetDisabled(users, "alice", true),
		"demote":  SetRole(users, "alice", "*", Operator),
	} {
		if err == nil || !strings.Contains(err.Error(), "no enabled admin") {
			t.Errorf("%s the last admin: %v", name, err)
		}
	}
	must(t, SetRole(users, "bob", "*", Admin))
	must(t, RemoveUser(users, "alice"))
	if err := RemoveUser(users, "alice"); err == nil {
		t.Error("removing a user twice succeeds")
	}
}

func TestInitialAdmin(t *testing.T) {
	root := t.TempDir()
	users := UsersPath(root)
	pwFile, err := InitialAdmin(users)
	must(t, err)
	if pwFile != filepath.Join(root, ".nova", "server", "initial-admin-password") {
		t.Errorf("password file %q", pwFile)
	}
	for _, f := range []string{users, pwFile} {
		fi, err := os.Stat(f)
		must(t, err)
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", f, fi.Mode().Perm())
		}
	}
	pw, err := os.ReadFile(pwFile)
	must(t, err)
	password := strings.TrimSuffix(string(pw), "\n")
	if err := CheckNewPassword(password); err != nil {
		t.Errorf("the initial password: %v", err)
	}
	data, _ := os.ReadFile(users)
	if strings.Contains(string(data), password) {
		t.Error("the users file holds the password")
	}
	s, err := Open(root, Options{})
	must(t, err)
	if p := login(t, s, "admin", password); p == "" {
		t.Fatal("no token")
	}
	again, err := InitialAdmin(users)
	if err != nil || again != "" {
		t.Errorf("a second InitialAdmin = %q, %v; want nothing done", again, err)
	}
	must(t, SetPassword(users, "admin", "a new admin password"))
	if _, err := os.Stat(pwFile); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the initial password file outlives a new password: %v", err)
	}
	login(t, s, "admin", "a new admin password")
}
