package workspace

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/spec"
)

// -backend-config wins over NOVA_PG_CONN_STR, which wins over the spec.
func TestResolveBackendPrecedence(t *testing.T) {
	pg := func(settings map[string]string) *spec.BackendConfig {
		return &spec.BackendConfig{Type: "pg", Settings: settings, Ranges: map[string]hcl.Range{}}
	}
	envConn := ConnStrEnv + "=postgres://env@h/db"
	tests := []struct {
		name string
		cfg  *spec.BackendConfig
		o    BackendOptions
		want map[string]string
	}{
		{"spec", pg(map[string]string{"conn_str": "postgres://spec@h/db", "schema": "s"}), BackendOptions{},
			map[string]string{"conn_str": "postgres://spec@h/db", "schema": "s"}},
		{"env over spec", pg(map[string]string{"conn_str": "postgres://spec@h/db", "schema": "s"}), BackendOptions{Env: []string{envConn}},
			map[string]string{"conn_str": "postgres://env@h/db", "schema": "s"}},
		{"flag over env", pg(map[string]string{"conn_str": "postgres://spec@h/db"}),
			BackendOptions{Env: []string{envConn}, Config: []Setting{{"conn_str", "postgres://flag@h/db"}, {"schema", "f"}}},
			map[string]string{"conn_str": "postgres://flag@h/db", "schema": "f"}},
		{"last flag wins", pg(map[string]string{}), BackendOptions{Config: []Setting{{"schema", "a"}, {"schema", "b"}}},
			map[string]string{"schema": "b"}},
		{"env without a spec conn_str", pg(map[string]string{"schema": "s"}), BackendOptions{Env: []string{envConn}},
			map[string]string{"conn_str": "postgres://env@h/db", "schema": "s"}},
		{"conn_str trimmed", pg(map[string]string{"schema": "s"}), BackendOptions{Env: []string{envConn + "\n"}},
			map[string]string{"conn_str": "postgres://env@h/db", "schema": "s"}},
		{"env is pg's only", &spec.BackendConfig{Type: "local", Settings: map[string]string{}}, BackendOptions{Env: []string{envConn}},
			map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, diags := ResolveBackend(tt.cfg, tt.o)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			if diff := cmp.Diff(tt.want, got.Settings); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	_, diags := ResolveBackend(pg(map[string]string{}), BackendOptions{Config: []Setting{{"path", "x"}}})
	if !diags.HasErrors() || !strings.Contains(diags[0].Detail, `"path"`) {
		t.Errorf("-backend-config=path=x for pg: %v, want an error naming path", diags)
	}
}

// The password is found in every form of connection string, and the
// Redactor removes it.
func TestConnPassword(t *testing.T) {
	for conn, want := range map[string]string{
		"postgres://u:p%40ss@h:5432/db":          "p@ss",
		"postgresql://u:pw@h/db?sslmode=disable": "pw",
		"postgres://u@h/db?password=qp":          "qp",
		"postgres://u@h/db":                      "",
		"host=h user=u password=kv dbname=db":    "kv",
		"host=h password='a \\'b' dbname=db":     "a 'b",
		"password = spaced host=h":               "spaced",
		"host=h dbname=db":                       "",
		"postgres://u:br%ken@h:notaport/db":      "br%ken",
		"postgres://u:SECRETPW@127.0.0.1:1/db":   "SECRETPW",
	} {
		if got := connPassword(conn); got != want {
			t.Errorf("connPassword(%q) = %q, want %q", conn, got, want)
		}
	}
	r := NewRedactor(&spec.BackendConfig{Settings: map[string]string{"conn_str": "postgres://u:p%40ss@h/db", "schema": "p@ss-not-secret"}})
	if got := r.String(`failed to connect to "postgres://u:p%40ss@h/db" as p@ss`); strings.Contains(got, "p@ss") || strings.Contains(got, "p%40ss") {
		t.Errorf("redacted: %s", got)
	}
}
