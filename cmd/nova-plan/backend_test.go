package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A mistake in the novacron block stops every command that opens the
// state, at its file, line and column, before any variable is read.
func TestBackendBlockDiagnostics(t *testing.T) {
	for _, tc := range []struct {
		name, block string
		want        []string // in stderr
	}{
		{"variable", `novacron {
  backend "pg" {
    schema = var.prefix
  }
}
`, []string{"Error: Backend settings must be literal values", "on settings.nova.hcl line 3, in novacron:", "    schema = var.prefix", "             ^^^^^^^^^^", "read before variables", "NOVA_PG_CONN_STR", "-backend-config=schema=VALUE"}},
		{"unknown type", `novacron {
  backend "s3" {}
}
`, []string{"Error: Unknown backend type", "on settings.nova.hcl line 2, in novacron:", `There is no backend "s3"; the backend types are "local" and "pg".`}},
		{"unknown key", `novacron {
  backend "pg" {
    database = "x"
  }
}
`, []string{"Error: Unknown backend setting", "on settings.nova.hcl line 3, in novacron:", `its settings are "conn_str" and "schema"`}},
		{"local takes path only", `novacron {
  backend "local" {
    schema = "x"
  }
}
`, []string{"Error: Unknown backend setting", `The local backend has no setting "schema"; its settings are "path".`}},
		{"duplicate", `novacron {
  backend "local" {}
}
novacron {}
`, []string{"Error: Duplicate novacron block", "on settings.nova.hcl line 4", "was already given at settings.nova.hcl:1,1-9"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := newDir(t, prefixSpec)
			if err := os.WriteFile(filepath.Join(dir, "settings.nova.hcl"), []byte(tc.block), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, args := range [][]string{{"plan"}, {"validate"}, {"state", "list"}, {"workspace", "list"}, {"apply", "-auto-approve"}} {
				r := nova(t, dir, args...).Must(t, 1, strings.Join(args, " "))
				for _, want := range tc.want {
					if !strings.Contains(r.Stderr, want) {
						t.Errorf("%v: stderr lacks %q:\n%s", args, want, r.Stderr)
					}
				}
			}
			if _, err := os.Stat(filepath.Join(dir, ".nova", "state.json")); err == nil {
				t.Error("a refused command wrote state")
			}
		})
	}
}

// -backend-config wins over the spec: the local backend's path from the
// flag is where the state goes.
func TestBackendConfigOverridesTheSpec(t *testing.T) {
	dir := newDir(t, prefixSpec+`
novacron {
  backend "local" {
    path = "spec-state"
  }
}
`)
	nova(t, dir, "apply", "-auto-approve", "-backend-config=path=flag-state").Must(t, 0, "apply with -backend-config")
	if _, err := os.Stat(filepath.Join(dir, "flag-state", "state.json")); err != nil {
		t.Errorf("the state is not where -backend-config=path=flag-state put it: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "spec-state", "state.json")); err == nil {
		t.Error("the state went where the spec says, not where the flag says")
	}
	if got := nova(t, dir, "state", "list").Must(t, 0, "state list from the spec's path").Stdout; got != "" {
		t.Errorf("state list without the flag reads the spec's path, which is empty; it printed:\n%s", got)
	}
	got := nova(t, dir, "state", "list", "-backend-config=path=flag-state").Must(t, 0, "state list with the flag").Stdout
	if got != "fleet.web[0]\nfleet.web[1]\n" {
		t.Errorf("state list -backend-config=path=flag-state:\n%s", got)
	}
	for _, args := range [][]string{
		{"plan", "-backend-config=conn_str=x"},
		{"plan", "-backend-config=nokey"},
		{"plan", "-backend-config==x"},
	} {
		r := nova(t, dir, args...).Must(t, 1, strings.Join(args, " "))
		if !strings.Contains(r.Stderr, "backend") {
			t.Errorf("%v: %s", args, r.Stderr)
		}
	}
}

// A password in a connection string — in the spec, in NOVA_PG_CONN_STR or
// in -backend-config — is never printed, whatever fails.
func TestConnStrPasswordIsNeverPrinted(t *testing.T) {
	specConn := `novacron {
  backend "pg" {
    conn_str = "postgres://u:SECRETPW@127.0.0.1:1/db"
    schema   = "s"
  }
}
`
	dir := newDir(t, prefixSpec)
	write := func(body string) {
		if err := os.WriteFile(filepath.Join(dir, "settings.nova.hcl"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{"NOVA_PG_CONN_STR=postgresql://u:ENVPW@127.0.0.1:1/db?sslmode=disable"}
	flag := "-backend-config=conn_str=host=127.0.0.1 port=1 user=u password=FLAGPW dbname=db"
	runs := [][]string{
		{"plan"}, {"validate"}, {"state", "list"}, {"workspace", "list"}, {"workspace", "new", "x"},
		{"apply", "-auto-approve"}, {"plan", flag}, {"state", "list", flag}, {"state", "show", "fleet.web[0]", flag},
		{"state", "migrate", "-from=pg", "-from-config=conn_str=postgres://u:FROMPW@127.0.0.1:1/db"},
	}
	check := func(what string, r result) {
		t.Helper()
		for _, pw := range []string{"SECRETPW", "ENVPW", "FLAGPW", "FROMPW"} {
			if strings.Contains(r.Stdout+r.Stderr, pw) {
				t.Errorf("%s printed the password %s:\nstdout:\n%s\nstderr:\n%s", what, pw, r.Stdout, r.Stderr)
			}
		}
	}
	write(specConn)
	for _, args := range runs {
		r := nova(t, dir, args...)
		check(strings.Join(args, " "), r)
		if args[0] != "validate" && r.Code != 1 {
			t.Errorf("%v: exit %d, want 1 (the database cannot be reached)", args, r.Code)
		}
		r = novaEnv(t, dir, env, args...)
		check("NOVA_PG_CONN_STR "+strings.Join(args, " "), r)
	}
	r := nova(t, dir, "plan")
	if !strings.Contains(r.Stderr, "A password in the spec") || !strings.Contains(r.Stderr, "NOVA_PG_CONN_STR") {
		t.Errorf("plan with a password in the spec does not suggest NOVA_PG_CONN_STR:\n%s", r.Stderr)
	}
	// Errors whose snippet is the conn_str line itself.
	write(strings.Replace(specConn, `"postgres://u:SECRETPW@127.0.0.1:1/db"`, `"postgres://u:SECRETPW@127.0.0.1:1/db" + 1`, 1))
	check("an expression error on the conn_str line", nova(t, dir, "plan").Must(t, 1, "plan"))
	write(strings.Replace(specConn, `"postgres://u:SECRETPW@127.0.0.1:1/db"`, `"postgres://u:SECRETPW@127.0.0.1:1/db" }}}`, 1))
	check("a syntax error on the conn_str line", nova(t, dir, "plan").Must(t, 1, "plan"))
	write(strings.Replace(specConn, `"pg"`, `"local"`, 1))
	check("conn_str given to the local backend", nova(t, dir, "plan").Must(t, 1, "plan"))
	// A flag after the arguments is echoed in the corrected command line.
	write(specConn)
	check("a misplaced -backend-config", nova(t, dir, "state", "show", "fleet.web[0]", flag))
	check("a misplaced -backend-config", nova(t, dir, "state", "show", "fleet.web[0]", "-backend-config", "conn_str=postgres://u:FLAGPW@h/db"))
}

// state migrate copies every workspace's state and history from an old
// backend into the spec's, leaves the old one as it was, and refuses to
// overwrite state unless -force.
func TestStateMigrateLocalToLocal(t *testing.T) {
	dir := newDir(t, prefixSpec)
	old := []string{"-backend-config=path=old-state"}
	nova(t, dir, append([]string{"apply", "-auto-approve"}, old...)...).Must(t, 0, "apply into the old backend")
	nova(t, dir, "workspace", "new", old[0], "staging").Must(t, 0, "workspace new staging in the old backend")
	novaEnv(t, dir, []string{"NOVA_VAR_prefix=stg"}, "apply", "-auto-approve", old[0]).Must(t, 0, "apply into the old backend's staging")
	nova(t, dir, "workspace", "select", old[0], "default").Must(t, 0, "select default")
	oldState := readFile(t, filepath.Join(dir, "old-state", "state.json"))
	oldHistory := readFile(t, filepath.Join(dir, "old-state", "history.jsonl"))

	r := nova(t, dir, "state", "migrate", "-from=local", "-from-config=path=old-state").Must(t, 0, "state migrate")
	for _, want := range []string{`Copied workspace "default": 2 VMs at serial`, `Copied workspace "staging": 2 VMs at serial`, "history records", "untouched", "old-state"} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("state migrate's report lacks %q:\n%s", want, r.Stdout)
		}
	}
	if got := nova(t, dir, "state", "list").Must(t, 0, "state list after migrate").Stdout; got != "fleet.web[0]\nfleet.web[1]\n" {
		t.Errorf("state list in the new backend:\n%s", got)
	}
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after migrate: no changes")
	if got := nova(t, dir, "workspace", "list").Must(t, 0, "workspace list after migrate").Stdout; got != "* default\n  staging\n" {
		t.Errorf("workspace list in the new backend:\n%s", got)
	}
	stg := []string{"NOVA_WORKSPACE=staging", "NOVA_VAR_prefix=stg"}
	novaEnv(t, dir, stg, "plan", "-detailed-exitcode").Must(t, 0, "plan in the migrated staging: no changes")
	if !bytes.Equal(readFile(t, filepath.Join(dir, ".nova", "state.json")), oldState) {
		t.Error("the migrated state differs from the old one")
	}
	if h := readFile(t, filepath.Join(dir, ".nova", "history.jsonl")); !bytes.HasPrefix(h, oldHistory) ||
		bytes.Count(h[len(oldHistory):], []byte("\n")) != 1 || !bytes.Contains(h[len(oldHistory):], []byte(`"kind":"state migrate"`)) {
		t.Errorf("the migrated history is not the old one and a state migrate record:\n%s", h)
	}
	if !bytes.Equal(readFile(t, filepath.Join(dir, "old-state", "state.json")), oldState) ||
		!bytes.Equal(readFile(t, filepath.Join(dir, "old-state", "history.jsonl")), oldHistory) {
		t.Error("state migrate changed the old backend")
	}

	r = nova(t, dir, "state", "migrate", "-from=local", "-from-config=path=old-state").Must(t, 1, "a second migrate")
	if !strings.Contains(r.Stderr, "already has state in workspace default") || !strings.Contains(r.Stderr, "-force") {
		t.Errorf("a second migrate: %s", r.Stderr)
	}
	nova(t, dir, "state", "migrate", "-force", "-from=local", "-from-config=path=old-state").Must(t, 0, "migrate -force")

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"state", "migrate"}, "needs -from=TYPE"},
		{[]string{"state", "migrate", "-from=local"}, "nothing to migrate"},
		{[]string{"state", "migrate", "-from=s3"}, `There is no backend "s3"`},
		{[]string{"state", "migrate", "-from=local", "-from-config=schema=x"}, `-from-config sets "schema"`},
		{[]string{"state", "migrate", "-from=local", "-from-config=path=old-state", "extra"}, "no arguments"},
	} {
		r := nova(t, dir, tc.args...).Must(t, 1, strings.Join(tc.args, " "))
		if !strings.Contains(r.Stderr, tc.want) {
			t.Errorf("%v: stderr lacks %q:\n%s", tc.args, tc.want, r.Stderr)
		}
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
