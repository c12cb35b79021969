package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A -backend-config or -from-config written without KEY= is refused
// without echoing what was given: it may be a connection string with a
// password in it, and CI logs keep stderr.
func TestSettingsFlagWithoutKeyNeverEchoesTheValue(t *testing.T) {
	dir := newDir(t, prefixSpec)
	for _, args := range [][]string{
		{"state", "list", "-backend-config=postgres://u:FLAGPW@127.0.0.1:1/db"},
		{"state", "list", "-backend-config=postgres://u:FLAGPW@127.0.0.1:1/db?sslmode=disable"},
		{"state", "list", "-backend-config==FLAGPW"},
		{"state", "list", "-backend-config=:FLAGPW"},
		{"plan", "-backend-config", "host=h password=FLAGPW"},
		{"state", "migrate", "-from=pg", "-from-config=postgres://u:FLAGPW@127.0.0.1:1/db"},
		{"state", "show", "fleet.web[0]", "-backend-config=postgres://u:FLAGPW@127.0.0.1:1/db"},
	} {
		r := nova(t, dir, args...).Must(t, 1, strings.Join(args, " "))
		if strings.Contains(r.Stdout+r.Stderr, "FLAGPW") {
			t.Errorf("%v printed the password:\n%s", args, r.Stderr)
		}
		if args[0] != "plan" && !strings.Contains(r.Stderr, "KEY=VALUE") && !strings.Contains(r.Stderr, "Flags must come before") {
			t.Errorf("%v does not say KEY=VALUE is needed:\n%s", args, r.Stderr)
		}
	}
	r := nova(t, dir, "state", "list", "-backend-config=postgres://u:FLAGPW@h/db").Must(t, 1, "no key")
	for _, want := range []string{"conn_str", "schema", "path"} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("the error does not name the key %s:\n%s", want, r.Stderr)
		}
	}
}

// The pg backend has no default schema: two specs that left it out would
// share one workspace, and one would destroy the other's VMs.
func TestPgBackendNeedsASchema(t *testing.T) {
	dir := newDir(t, prefixSpec)
	env := []string{"NOVA_PG_CONN_STR=postgres://u@127.0.0.1:1/db"}
	writeSpec(t, dir, prefixSpec+"\nnovacron {\n  backend \"pg\" {}\n}\n")
	blockLine := strings.Count(prefixSpec+"\nnovacron {\n", "\n") + 1
	for _, args := range [][]string{{"plan"}, {"state", "list"}, {"workspace", "list"}} {
		r := novaEnv(t, dir, env, args...).Must(t, 1, strings.Join(args, " "))
		for _, want := range []string{"the pg backend needs a schema", `schema = "web_prod"`, fmt.Sprintf("line %d", blockLine)} {
			if !strings.Contains(r.Stderr, want) {
				t.Errorf("%v: stderr lacks %q:\n%s", args, want, r.Stderr)
			}
		}
	}
	writeSpec(t, dir, prefixSpec)
	r := novaEnv(t, dir, env, "state", "migrate", "-from=pg", "-from-config=conn_str=postgres://u@127.0.0.1:1/db").Must(t, 1, "migrate from pg without a schema")
	if !strings.Contains(r.Stderr, "-from-config=schema=") {
		t.Errorf("migrate -from=pg without a schema does not name -from-config=schema=:\n%s", r.Stderr)
	}
	// C3: the old backend's connection string is -from-config's.
	r = novaEnv(t, dir, env, "state", "migrate", "-from=pg", "-from-config=schema=s").Must(t, 1, "migrate from pg without conn_str")
	if !strings.Contains(r.Stderr, "-from-config=conn_str=") {
		t.Errorf("migrate -from=pg without conn_str does not name -from-config=conn_str=:\n%s", r.Stderr)
	}
}

// Backend settings are strings, and a flag's empty value is refused
// naming the key rather than falling back to another value.
func TestBackendSettingValues(t *testing.T) {
	dir := newDir(t, prefixSpec)
	valueLine := strings.Count(prefixSpec+"\nnovacron {\n  backend {\n", "\n") + 1
	for _, tc := range []struct{ block, want string }{
		{"backend \"pg\" {\n    schema = true\n  }", fmt.Sprintf("line %d", valueLine)},
		{"backend \"local\" {\n    path = 5\n  }", fmt.Sprintf("line %d", valueLine)},
	} {
		writeSpec(t, dir, prefixSpec+"\nnovacron {\n  "+tc.block+"\n}\n")
		for _, args := range [][]string{{"validate"}, {"plan"}} {
			r := nova(t, dir, args...).Must(t, 1, tc.block)
			for _, want := range []string{"Invalid backend setting", "must be a string", tc.want} {
				if !strings.Contains(r.Stderr, want) {
					t.Errorf("%s %v: stderr lacks %q:\n%s", tc.block, args, want, r.Stderr)
				}
			}
		}
	}
	writeSpec(t, dir, prefixSpec+"\nnovacron {\n  backend \"pg\" {\n    schema = \"s_a\"\n  }\n}\n")
	env := []string{"NOVA_PG_CONN_STR=postgres://u@127.0.0.1:1/db"}
	for _, key := range []string{"schema", "conn_str"} {
		r := novaEnv(t, dir, env, "state", "list", "-backend-config="+key+"=").Must(t, 1, "empty "+key)
		if !strings.Contains(r.Stderr, "-backend-config="+key+"= gives "+key+" an empty value") {
			t.Errorf("an empty %s: %s", key, r.Stderr)
		}
	}
	writeSpec(t, dir, prefixSpec)
	r := nova(t, dir, "state", "list", "-backend-config=path=").Must(t, 1, "empty path")
	if !strings.Contains(r.Stderr, "gives path an empty value") {
		t.Errorf("an empty path: %s", r.Stderr)
	}
}

// A document pulled from one workspace pushed into another that has no
// state would make two workspaces own the same VMs: refused, naming the
// workspace, unless -force (which warns).
func TestStatePushRefusesAnotherWorkspacesLineage(t *testing.T) {
	dir := newDir(t, prefixSpec)
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply in default")
	pulled := nova(t, dir, "state", "pull").Must(t, 0, "state pull").Stdout
	if err := os.WriteFile(filepath.Join(dir, "s.json"), []byte(pulled), 0o600); err != nil {
		t.Fatal(err)
	}
	nova(t, dir, "workspace", "new", "clone").Must(t, 0, "workspace new clone")
	r := nova(t, dir, "state", "push", "s.json").Must(t, 1, "push default's state into clone")
	for _, want := range []string{`workspace "default"`, "-force", "Nothing was written"} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("push of default's state into clone lacks %q:\n%s", want, r.Stderr)
		}
	}
	if got := nova(t, dir, "state", "list").Must(t, 0, "state list in clone").Stdout; got != "" {
		t.Errorf("the refused push wrote state into clone:\n%s", got)
	}
	r = nova(t, dir, "state", "push", "-force", "s.json").Must(t, 0, "push -force")
	if !strings.Contains(r.Stderr, "Warning:") || !strings.Contains(r.Stderr, `workspace "default"`) {
		t.Errorf("push -force of default's lineage does not warn naming default:\n%s", r.Stderr)
	}
}

// A migrate with -force over a backend that already has the history (a
// round trip) copies only the records it lacks, and every target
// workspace gets a `state migrate` record.
func TestStateMigrateForceDoesNotDoubleHistory(t *testing.T) {
	dir := newDir(t, prefixSpec)
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	old := "-from-config=path=old-state"
	nova(t, dir, "state", "migrate", "-backend-config=path=old-state", "-from=local").Must(t, 0, "migrate .nova → old-state")
	nova(t, dir, "state", "migrate", "-force", "-from=local", old).Must(t, 0, "migrate old-state → .nova -force")
	recs := historyRecords(t, dir)
	seen := map[string]int{}
	migrates := 0
	for _, r := range recs {
		if r["kind"] == "state migrate" {
			migrates++
			continue
		}
		b, _ := json.Marshal(r)
		seen[string(b)]++
	}
	for rec, n := range seen {
		if n > 1 {
			t.Errorf("record %s is in the history %d times", rec, n)
		}
	}
	if migrates != 2 {
		t.Errorf(".nova's history has %d state migrate records, want 2 (the one copied from old-state, and the migrate into .nova):\n%v", migrates, recs)
	}
	if got := nova(t, dir, "history").Must(t, 0, "history").Stdout; !strings.Contains(got, "state migrate") {
		t.Errorf("history does not show the migrate:\n%s", got)
	}
}

func historyRecords(t *testing.T, dir string) []map[string]any {
	t.Helper()
	var doc struct {
		Records []map[string]any `json:"records"`
	}
	out := nova(t, dir, "history", "-json").Must(t, 0, "history -json").Stdout
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("history -json: %v\n%s", err, out)
	}
	return doc.Records
}

// A migrate from a source that does not exist, or holds no state, is an
// error that creates nothing; the removal hint never names the spec folder.
func TestStateMigrateFromNothing(t *testing.T) {
	dir := newDir(t, prefixSpec)
	missing := filepath.Join(t.TempDir(), "nonexistent")
	r := nova(t, dir, "state", "migrate", "-from=local", "-from-config=path="+missing).Must(t, 1, "migrate from a folder that does not exist")
	if !strings.Contains(r.Stderr, "does not exist") {
		t.Errorf("migrate from a missing folder: %s", r.Stderr)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Errorf("state migrate created the old backend's folder %s", missing)
	}
	if err := os.Mkdir(filepath.Join(dir, "empty"), 0o700); err != nil {
		t.Fatal(err)
	}
	r = nova(t, dir, "state", "migrate", "-from=local", "-from-config=path=empty").Must(t, 1, "migrate from an empty folder")
	if !strings.Contains(r.Stderr, "no state") {
		t.Errorf("migrate from an empty folder: %s", r.Stderr)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "empty")); len(entries) != 0 {
		t.Errorf("state migrate wrote into the empty old backend: %v", entries)
	}
	// The spec folder itself as the old backend: the state files are
	// named, never the folder.
	nova(t, dir, "apply", "-auto-approve", "-backend-config=path=.").Must(t, 0, "apply with path=.")
	r = nova(t, dir, "state", "migrate", "-from=local", "-from-config=path=.").Must(t, 0, "migrate from path=.")
	if strings.Contains(r.Stdout, "delete the folder") || !strings.Contains(r.Stdout, "state.json") {
		t.Errorf("the removal hint for path=. :\n%s", r.Stdout)
	}
}

// The lock error tells the truth about locks that heal (a holder that died
// frees it), names the workspace in the force-unlock command when it is
// not the default one, force-unlock in the wrong workspace names the right
// one, and a run that waits for the lock says so once.
func TestLockMessagesNameTheWorkspace(t *testing.T) {
	// 9 s of apply: long enough for the commands below to meet its lock on
	// a loaded machine (1.5 s was not).
	dir := newDir(t, slowSpec(30, "300ms"))
	nova(t, dir, "workspace", "new", "w2").Must(t, 0, "workspace new w2")
	first, _ := start(t, dir, "apply", "-auto-approve", "-parallelism=1")
	lock := filepath.Join(dir, ".nova", "workspaces", "w2", "state.lock")
	var id string
	waitFor(t, "the apply in w2 to take and name its lock", 10*time.Second, func() bool {
		var info struct {
			ID string `json:"id"`
		}
		data, _ := os.ReadFile(lock)
		if json.Unmarshal(data, &info) == nil && info.ID != "" {
			id = info.ID
			return true
		}
		return false
	})
	nova(t, dir, "workspace", "select", "default").Must(t, 0, "select default")
	w2 := []string{"NOVA_WORKSPACE=w2"}
	r := novaEnv(t, dir, w2, "apply", "-auto-approve").Must(t, 1, "apply in w2 while locked")
	for _, want := range []string{"frees the lock by itself", "alive but stuck", "NOVA_WORKSPACE=w2 nova-plan force-unlock " + id} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("the lock error lacks %q:\n%s", want, r.Stderr)
		}
	}
	if strings.Contains(r.Stderr, "Waiting for the state lock") {
		t.Errorf("a run that does not wait says it waits:\n%s", r.Stderr)
	}
	r = nova(t, dir, "force-unlock", "-force", id).Must(t, 1, "force-unlock of w2's lock in default")
	if !strings.Contains(r.Stderr, `workspace "w2" holds lock `+id) || !strings.Contains(r.Stderr, "NOVA_WORKSPACE=w2 nova-plan force-unlock") {
		t.Errorf("force-unlock in the wrong workspace does not name w2:\n%s", r.Stderr)
	}
	r = novaEnv(t, dir, w2, "plan", "-lock-timeout=60s").Must(t, 0, "plan in w2 waiting for the lock")
	if n := strings.Count(r.Stderr, "Waiting for the state lock"); n != 1 {
		t.Errorf("a waiting plan printed the waiting line %d times, want 1:\n%s", n, r.Stderr)
	}
	if err := first.Wait(); err != nil {
		t.Fatalf("the apply in w2: %v", err)
	}
	r = novaEnv(t, dir, w2, "plan", "-lock-timeout=60s").Must(t, 0, "plan in w2 once the lock is free")
	if strings.Contains(r.Stderr, "Waiting") {
		t.Errorf("a plan that did not wait says it waits:\n%s", r.Stderr)
	}
}

// Workspace messages agree with NOVA_WORKSPACE, and deleting a workspace
// that does not exist does not suggest creating it.
func TestWorkspaceMessagesUnderNovaWorkspace(t *testing.T) {
	dir := newDir(t, prefixSpec)
	r := novaEnv(t, dir, []string{"NOVA_WORKSPACE=pr-123"}, "workspace", "new", "pr-123").Must(t, 0, "new pr-123 under NOVA_WORKSPACE=pr-123")
	if strings.Contains(r.Stdout, "not selected") || !strings.Contains(r.Stdout, "NOVA_WORKSPACE") {
		t.Errorf("workspace new under NOVA_WORKSPACE naming it:\n%s", r.Stdout)
	}
	r = novaEnv(t, dir, []string{"NOVA_WORKSPACE=pr-123"}, "workspace", "delete", "pr-123").Must(t, 1, "delete the workspace NOVA_WORKSPACE selects")
	if strings.Contains(r.Stderr, "workspace select") || !strings.Contains(r.Stderr, "NOVA_WORKSPACE") {
		t.Errorf("delete of the NOVA_WORKSPACE workspace:\n%s", r.Stderr)
	}
	r = nova(t, dir, "workspace", "delete", "nope").Must(t, 1, "delete nope")
	if strings.Contains(r.Stderr, "workspace new") || !strings.Contains(r.Stderr, "does not exist") {
		t.Errorf("delete of a workspace that does not exist:\n%s", r.Stderr)
	}
}
