package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/novacron/novacron/state"
)

// stagingFile is the local backend's state file of workspace staging.
func stagingFile(dir string) string {
	return filepath.Join(dir, ".nova", "workspaces", "staging", "state.json")
}

func readBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// encryptedTwoWorkspaces applies secretSpec with keyA in the default
// workspace and in staging (its VMs named apart), default selected.
func encryptedTwoWorkspaces(t *testing.T) (dir string, stg []string) {
	t.Helper()
	spec := strings.Replace(secretSpec, `"payroll-db-${count.index}"`, `"${var.prefix}payroll-db-${count.index}"`, 1) +
		"\nvariable \"prefix\" {\n  default = \"\"\n}\n"
	dir = newDir(t, spec)
	novaEnv(t, dir, []string{keyA}, "apply", "-auto-approve").Must(t, 0, "apply in default")
	nova(t, dir, "workspace", "new", "staging").Must(t, 0, "workspace new staging")
	stg = []string{keyA, "NOVA_VAR_prefix=stg-"}
	novaEnv(t, dir, stg, "apply", "-auto-approve").Must(t, 0, "apply in staging")
	nova(t, dir, "workspace", "select", "default").Must(t, 0, "workspace select default")
	return dir, stg
}

// TestStateRekeyEveryWorkspace: state rekey rewrites the state of every
// workspace, not only the selected one, and records a state rekey history
// record in each; when one workspace's state opens with neither key,
// nothing at all is rewritten.
func TestStateRekeyEveryWorkspace(t *testing.T) {
	dir, _ := encryptedTwoWorkspaces(t)
	r := novaEnv(t, dir, []string{keyA, newKeyB}, "state", "rekey").Must(t, 0, "rekey A→B")
	if !strings.Contains(r.Stdout, "Rewrote 2 state documents") {
		t.Errorf("rekey output:\n%s", r.Stdout)
	}
	for _, ws := range []string{"default", "staging"} {
		sel := "NOVA_WORKSPACE=" + ws
		novaEnv(t, dir, []string{keyA, sel}, "state", "list").Must(t, 1, ws+": state list with the old key")
		novaEnv(t, dir, []string{keyB, sel}, "state", "list").Must(t, 0, ws+": state list with the new key")
		h := novaEnv(t, dir, []string{keyB, sel}, "history").Must(t, 0, ws+": history").Stdout
		if !strings.Contains(h, "state rekey") || !strings.Contains(h, "encrypt with NOVA_STATE_KEY") {
			t.Errorf("%s: history has no state rekey record:\n%s", ws, h)
		}
	}

	// Put staging alone under another key (a file of another folder's
	// apply): a rekey from B opens default but not staging, and must write
	// neither.
	other := newDir(t, secretSpec)
	novaEnv(t, other, []string{"NOVA_STATE_KEY=" + strings.Repeat("c", 64)}, "apply", "-auto-approve").Must(t, 0, "apply under key C")
	if err := os.WriteFile(stagingFile(dir), stateBytes(t, other), 0o600); err != nil {
		t.Fatal(err)
	}
	defBefore, stgBefore := stateBytes(t, dir), readBytes(t, stagingFile(dir))
	r = novaEnv(t, dir, []string{keyB, "NOVA_STATE_NEW_KEY=" + strings.TrimPrefix(keyA, "NOVA_STATE_KEY=")}, "state", "rekey").Must(t, 1, "rekey with staging under another key")
	if !strings.Contains(r.Stderr, `orkspace "staging"`) || !strings.Contains(r.Stderr, "nothing was rewritten") {
		t.Errorf("rekey with staging under another key:\n%s", r.Stderr)
	}
	if !bytes.Equal(defBefore, stateBytes(t, dir)) || !bytes.Equal(stgBefore, readBytes(t, stagingFile(dir))) {
		t.Error("a rekey that failed on one workspace rewrote a state file")
	}
}

// TestEncryptedPullPush: state pull with the key prints the plaintext
// document; state push with the key stores it sealed; without the key
// pull fails and prints nothing.
func TestEncryptedPullPush(t *testing.T) {
	dir := newDir(t, secretSpec)
	novaEnv(t, dir, []string{keyA}, "apply", "-auto-approve").Must(t, 0, "apply with a key")
	r := novaEnv(t, dir, []string{keyA}, "state", "pull").Must(t, 0, "pull with the key")
	if state.IsSealed([]byte(r.Stdout)) || !strings.Contains(r.Stdout, "payroll-db-0") {
		t.Fatalf("pull with the key is not the plaintext document:\n%.300s", r.Stdout)
	}
	if r := novaEnv(t, dir, nil, "state", "pull").Must(t, 1, "pull without the key"); r.Stdout != "" || !strings.Contains(r.Stderr, state.ErrNoKey.Error()) {
		t.Errorf("pull without the key: stdout %q, stderr:\n%s", r.Stdout, r.Stderr)
	}
	doc := strings.Replace(r.Stdout, `"serial": `, `"serial": 1`, 1) // a serial above the stored one
	file := filepath.Join(t.TempDir(), "pushed.json")
	if err := os.WriteFile(file, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	novaEnv(t, dir, nil, "state", "push", file).Must(t, 1, "push without the key over sealed state")
	novaEnv(t, dir, []string{keyA}, "state", "push", file).Must(t, 0, "push with the key")
	stored := stateBytes(t, dir)
	if !state.IsSealed(stored) || bytes.Contains(stored, []byte("payroll")) {
		t.Errorf("the pushed state is not sealed:\n%.200s", stored)
	}
	novaEnv(t, dir, []string{keyA}, "plan", "-detailed-exitcode").Must(t, 0, "plan after the push")
}

// TestEncryptedMigrate: state migrate reads the old backend with the key
// and writes the new one sealed, whether the old state was sealed or
// plaintext.
func TestEncryptedMigrate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		oldEnv []string
	}{{"sealed", []string{keyA}}, {"plaintext", nil}} {
		t.Run(tc.name, func(t *testing.T) {
			old := newDir(t, secretSpec)
			novaEnv(t, old, tc.oldEnv, "apply", "-auto-approve").Must(t, 0, "apply in the old folder")
			dir := newDir(t, secretSpec)
			r := novaEnv(t, dir, []string{keyA}, "state", "migrate", "-from=local", "-from-config=path="+filepath.Join(old, ".nova"))
			r.Must(t, 0, "migrate")
			stored := stateBytes(t, dir)
			if !state.IsSealed(stored) || bytes.Contains(stored, []byte("payroll")) {
				t.Errorf("the migrated state is not sealed:\n%.200s", stored)
			}
			// The sim's VMs stay in the old folder: list the state, not plan.
			got := novaEnv(t, dir, []string{keyA}, "state", "list").Must(t, 0, "state list after the migration").Stdout
			if got != "fleet.payroll[0]\nfleet.payroll[1]\n" {
				t.Errorf("state list after the migration = %q", got)
			}
		})
	}
}

// TestEncryptionRequiredRefusesDecrypt: state rekey -decrypt is refused
// when the spec requires encryption, pointing at the setting.
func TestEncryptionRequiredRefusesDecrypt(t *testing.T) {
	dir := newDir(t, secretSpec+"\nnovacron {\n  encryption {\n    required = true\n  }\n}\n")
	novaEnv(t, dir, []string{keyA}, "apply", "-auto-approve").Must(t, 0, "apply with the key")
	before := stateBytes(t, dir)
	r := novaEnv(t, dir, []string{keyA}, "state", "rekey", "-decrypt").Must(t, 1, "rekey -decrypt")
	if !strings.Contains(r.Stderr, "State encryption is required") || !strings.Contains(r.Stderr, "main.nova.hcl line 21") {
		t.Errorf("rekey -decrypt with required encryption:\n%s", r.Stderr)
	}
	if !bytes.Equal(before, stateBytes(t, dir)) {
		t.Error("the state file changed")
	}
}
