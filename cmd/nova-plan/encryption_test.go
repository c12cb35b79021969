package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/novacron/novacron/state"
)

// The keys of these tests: two random-looking 32-byte keys and a
// passphrase.
const (
	keyA       = "NOVA_STATE_KEY=q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8w="
	keyB       = "NOVA_STATE_KEY=ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA="
	newKeyB    = "NOVA_STATE_NEW_KEY=ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA="
	passphrase = "correct horse battery staple"
)

// secretSpec has names, addresses and tag values to look for in the
// stored bytes.
const secretSpec = `
provider "sim" "lab" {
  hosts = 2
}

template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}

fleet "payroll" {
  count     = 2
  name      = "payroll-db-${count.index}"
  template  = template.ubuntu
  cpu       = 1
  memory_gb = 1
  tags      = { owner = "alice-finance", cost_center = "cc-7731" }
}
`

// secretWords are the spec's names, addresses and tag values.
var secretWords = []string{"payroll", "payroll-db-0", "fleet.payroll[1]", "alice-finance", "cc-7731"}

func stateBytes(t *testing.T, dir string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, ".nova", "state.json"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEncryptedApply: an apply with NOVA_STATE_KEY stores sealed state in
// which no VM name, address or tag value appears; `state list` with the
// key lists the addresses.
func TestEncryptedApply(t *testing.T) {
	dir := newDir(t, secretSpec)
	novaEnv(t, dir, []string{keyA}, "apply", "-auto-approve").Must(t, 0, "apply with a key")
	stored := stateBytes(t, dir)
	if !state.IsSealed(stored) {
		t.Fatalf("state.json is not sealed:\n%.200s", stored)
	}
	for _, w := range secretWords {
		if bytes.Contains(stored, []byte(w)) {
			t.Errorf("state.json contains %q", w)
		}
	}
	r := novaEnv(t, dir, []string{keyA}, "state", "list").Must(t, 0, "state list with the key")
	if got := strings.Join(strings.Fields(r.Stdout), " "); got != "fleet.payroll[0] fleet.payroll[1]" {
		t.Errorf("state list = %q", got)
	}
	novaEnv(t, dir, []string{keyA}, "plan", "-detailed-exitcode").Must(t, 0, "plan with the key after apply")
}

// TestEncryptedStateWithoutKey: with the state sealed, every command that
// reads state fails without a key (state.ErrNoKey's message) and with
// another key (the fingerprints), exit 1, the state file unchanged.
func TestEncryptedStateWithoutKey(t *testing.T) {
	dir := newDir(t, secretSpec)
	novaEnv(t, dir, []string{keyA}, "apply", "-auto-approve").Must(t, 0, "apply with a key")
	before := stateBytes(t, dir)
	commands := [][]string{
		{"plan"}, {"apply", "-auto-approve"}, {"destroy", "-auto-approve"}, {"show"}, {"show", "-json"},
		{"state", "list"}, {"state", "show", "fleet.payroll[0]"}, {"state", "rm", "fleet.payroll[0]"},
		{"inventory"}, {"graph"}, {"import", "fleet.payroll[0]", "vm-0001"},
	}
	for _, tc := range []struct {
		name string
		env  []string
		want string
	}{
		{"no key", nil, state.ErrNoKey.Error()},
		{"another key", []string{keyB}, "the state was encrypted with another key (fingerprint "},
		{"a passphrase", []string{"NOVA_STATE_PASSPHRASE=" + passphrase}, "the state was encrypted with a key (fingerprint "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, args := range commands {
				r := novaEnv(t, dir, tc.env, args...).Must(t, 1, strings.Join(args, " "))
				if !strings.Contains(strings.Join(strings.Fields(r.Stderr), " "), tc.want) {
					t.Errorf("%s: stderr lacks %q:\n%s", strings.Join(args, " "), tc.want, r.Stderr)
				}
				if !bytes.Equal(before, stateBytes(t, dir)) {
					t.Fatalf("%s changed the state file", strings.Join(args, " "))
				}
			}
		})
	}
}

// TestEncryptionTurnedOn: a plaintext state read with a key is read, with
// a warning that the next write encrypts it; the apply that follows
// stores it sealed.
func TestEncryptionTurnedOn(t *testing.T) {
	dir := newDir(t, secretSpec)
	novaEnv(t, dir, nil, "apply", "-auto-approve").Must(t, 0, "apply without a key")
	if state.IsSealed(stateBytes(t, dir)) {
		t.Fatal("an apply without a key sealed the state")
	}
	r := novaEnv(t, dir, []string{keyA}, "plan").Must(t, 0, "plan with a key over plaintext state")
	if !strings.Contains(r.Stderr, "The state is not encrypted yet") {
		t.Errorf("no warning that the state is plaintext:\n%s", r.Stderr)
	}
	writeSpec(t, dir, strings.Replace(secretSpec, "count     = 2", "count     = 3", 1))
	novaEnv(t, dir, []string{keyA}, "apply", "-auto-approve").Must(t, 0, "apply with a key")
	if !state.IsSealed(stateBytes(t, dir)) {
		t.Error("the apply with a key left the state plaintext")
	}
}

// TestStateRekey: rekey from a key to another key, then to a passphrase,
// then back to plaintext with -decrypt; after each, the old key fails and
// the new one reads the state.
func TestStateRekey(t *testing.T) {
	dir := newDir(t, secretSpec)
	novaEnv(t, dir, []string{keyA}, "apply", "-auto-approve").Must(t, 0, "apply with a key")

	r := novaEnv(t, dir, []string{keyA, newKeyB}, "state", "rekey").Must(t, 0, "rekey A→B")
	if !strings.Contains(r.Stdout, "Rewrote 1 state document, encrypted with the key in NOVA_STATE_NEW_KEY (fingerprint ") {
		t.Errorf("rekey output:\n%s", r.Stdout)
	}
	novaEnv(t, dir, []string{keyA}, "state", "list").Must(t, 1, "state list with the old key")
	novaEnv(t, dir, []string{keyB}, "state", "list").Must(t, 0, "state list with the new key")
	r = novaEnv(t, dir, []string{keyA, newKeyB}, "state", "rekey").Must(t, 0, "rekey A→B again")
	if !strings.Contains(r.Stdout, "Rewrote 0 state documents") || !strings.Contains(r.Stdout, "Left 1 state document already encrypted with the new key") {
		t.Errorf("second rekey output:\n%s", r.Stdout)
	}

	novaEnv(t, dir, []string{keyB, "NOVA_STATE_NEW_PASSPHRASE=" + passphrase}, "state", "rekey").Must(t, 0, "rekey B→passphrase")
	novaEnv(t, dir, []string{keyB}, "state", "list").Must(t, 1, "state list with the key after rekey to a passphrase")
	novaEnv(t, dir, []string{"NOVA_STATE_PASSPHRASE=another passphrase"}, "state", "list").Must(t, 1, "state list with another passphrase")
	novaEnv(t, dir, []string{"NOVA_STATE_PASSPHRASE=" + passphrase}, "state", "list").Must(t, 0, "state list with the passphrase")

	novaEnv(t, dir, []string{"NOVA_STATE_PASSPHRASE=" + passphrase}, "state", "rekey").Must(t, 1, "rekey without a new key or -decrypt")
	novaEnv(t, dir, []string{"NOVA_STATE_PASSPHRASE=" + passphrase}, "state", "rekey", "-decrypt").Must(t, 0, "rekey -decrypt")
	if stored := stateBytes(t, dir); state.IsSealed(stored) || !bytes.Contains(stored, []byte("payroll-db-0")) {
		t.Errorf("after -decrypt the state is not plaintext:\n%.200s", stored)
	}
	novaEnv(t, dir, nil, "state", "list").Must(t, 0, "state list without a key after -decrypt")
}

// TestBadStateKey: a key of the wrong shape is refused before anything is
// read, and its value is not printed.
func TestBadStateKey(t *testing.T) {
	dir := newDir(t, secretSpec)
	r := novaEnv(t, dir, []string{"NOVA_STATE_KEY=hunter2:hunter2!"}, "plan").Must(t, 1, "plan with a bad key")
	if !strings.Contains(r.Stderr, "NOVA_STATE_KEY is neither hex nor base64") || strings.Contains(r.Stdout+r.Stderr, "hunter2") {
		t.Errorf("plan with a bad key:\n%s", r.Stderr)
	}
}

// TestEncryptionRequired: a spec whose novacron block requires encryption
// fails without a key, pointing at the setting, and writes no state; with
// a key it applies and stores sealed state. A setting that is not a
// literal bool is refused with its position.
func TestEncryptionRequired(t *testing.T) {
	dir := newDir(t, secretSpec+"\nnovacron {\n  encryption {\n    required = true\n  }\n}\n")
	for _, args := range [][]string{{"plan"}, {"apply", "-auto-approve"}, {"state", "list"}} {
		r := novaEnv(t, dir, nil, args...).Must(t, 1, strings.Join(args, " ")+" without a key")
		if !strings.Contains(r.Stderr, "State encryption is required") || !strings.Contains(r.Stderr, "main.nova.hcl line 21") {
			t.Errorf("%s without a key:\n%s", strings.Join(args, " "), r.Stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, ".nova", "state.json")); err == nil {
		t.Fatal("a state file was written without the required key")
	}
	novaEnv(t, dir, []string{keyA}, "apply", "-auto-approve").Must(t, 0, "apply with the key")
	if !state.IsSealed(stateBytes(t, dir)) {
		t.Error("the state is not sealed")
	}
	writeSpec(t, dir, secretSpec+"\nnovacron {\n  encryption {\n    required = var.x\n  }\n}\n")
	r := novaEnv(t, dir, []string{keyA}, "plan").Must(t, 1, "plan with required = var.x")
	if !strings.Contains(r.Stderr, "Invalid encryption setting") || !strings.Contains(r.Stderr, "main.nova.hcl line 21") {
		t.Errorf("required = var.x:\n%s", r.Stderr)
	}
}
