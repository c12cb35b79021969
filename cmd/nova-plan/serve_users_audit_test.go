package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/workspace"
)

// TestServeUsersAudited: every change of users and API tokens through
// the binary, done or refused, is a record in the server's audit log, in
// its format, naming who ran it, what, the target and the outcome — and
// no password, hash or token.
func TestServeUsersAudited(t *testing.T) {
	dir := t.TempDir()
	const alicePW, bobPW, bobPW2 = "alice's long password", "bob's long password", "bob's new long password"
	run := func(stdin string, want int, args ...string) result {
		t.Helper()
		return novaIn(t, dir, stdin, args...).Must(t, want, strings.Join(args, " "))
	}
	// Nothing is made in a folder without a server: a refused change
	// there is not audited.
	run("", 1, "serve", "user", "remove", "nobody")
	if _, err := os.Stat(filepath.Join(dir, ".nova")); !os.IsNotExist(err) {
		t.Fatalf("a refused change in a folder not served made .nova: %v", err)
	}
	run(alicePW+"\n", 0, "serve", "user", "add", "alice", "-role", "admin")
	run(bobPW+"\n", 0, "serve", "user", "add", "bob", "-role", "operator", "-workspace", "prod")
	run("short\n", 1, "serve", "user", "add", "carol", "-role", "viewer")
	run("", 0, "serve", "user", "role", "bob", "-role", "viewer", "-workspace", "prod")
	run(bobPW2+"\n", 0, "serve", "user", "password", "bob")
	run("", 0, "serve", "user", "disable", "bob")
	run("", 0, "serve", "user", "enable", "bob")
	token := strings.TrimSpace(run("", 0, "serve", "token", "create", "ci", "-role", "operator", "-workspace", "prod").Stdout)
	run("", 0, "serve", "token", "revoke", "ci")
	run("", 0, "serve", "user", "remove", "bob")
	run("", 1, "serve", "user", "remove", "alice") // the last admin
	run("", 0, "serve", "user", "list")            // reads are not audited

	path := filepath.Join(dir, ".nova", "server", "audit.jsonl")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the audit log: %v", err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the audit log's mode: %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	for _, secret := range []string{alicePW, bobPW, bobPW2, "short", "$argon2id$", token, token[4:]} {
		if strings.Contains(string(data), secret) {
			t.Errorf("the audit log holds a secret (%.8s…):\n%s", secret, data)
		}
	}
	type rec struct {
		Who, Client, Method, Route, Target, Workspace, Role, Outcome string
	}
	var got []rec
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("a line of the audit log is not JSON: %v\n%s", err, sc.Text())
		}
		if _, ok := m["time"].(string); !ok {
			t.Errorf("a record without a time: %s", sc.Text())
		}
		var r rec
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	who := workspace.Who()
	cli := func(route, target, ws, role, outcome string) rec {
		return rec{Who: who, Client: "cli", Method: "CLI", Route: route, Target: target, Workspace: ws, Role: role, Outcome: outcome}
	}
	want := []rec{
		cli("serve user add", "alice", "*", "admin", "succeeded"),
		cli("serve user add", "bob", "prod", "operator", "succeeded"),
		cli("serve user add", "carol", "*", "viewer", "refused"),
		cli("serve user role", "bob", "prod", "viewer", "succeeded"),
		cli("serve user password", "bob", "", "", "succeeded"),
		cli("serve user disable", "bob", "", "", "succeeded"),
		cli("serve user enable", "bob", "", "", "succeeded"),
		cli("serve token create", "ci", "prod", "operator", "succeeded"),
		cli("serve token revoke", "ci", "", "", "succeeded"),
		cli("serve user remove", "bob", "", "", "succeeded"),
		cli("serve user remove", "alice", "", "", "refused"),
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("the audit log (-want +got):\n%s", d)
	}
}
