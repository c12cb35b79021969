package main

import (
	"strings"
	"testing"
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
