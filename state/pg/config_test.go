package pg_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/state/pg"
)

func TestConfigFrom(t *testing.T) {
	const conn = "postgres://nova:s3cret-pw@db:5432/ops"
	tests := []struct {
		name     string
		settings map[string]string
		want     pg.Config
		wantErr  string
	}{
		{"both", map[string]string{"conn_str": conn, "schema": "team_a"}, pg.Config{ConnString: conn, Schema: "team_a"}, ""},
		{"no schema", map[string]string{"conn_str": conn}, pg.Config{},
			`the pg backend needs a schema: give each spec its own, e.g. schema = "web_prod"`},
		{"conn_str trimmed", map[string]string{"conn_str": " " + conn + "\n", "schema": "a"}, pg.Config{ConnString: conn, Schema: "a"}, ""},
		{"no conn_str", map[string]string{"schema": "x"}, pg.Config{},
			"the pg backend needs conn_str, a PostgreSQL connection string (postgres://USER@HOST:PORT/DATABASE); set it in the backend block, with -backend-config=conn_str=…, or in NOVA_PG_CONN_STR"},
		{"unknown keys", map[string]string{"conn_str": conn, "password": "s3cret-pw", "host": "db"}, pg.Config{},
			`the pg backend has no setting "host", "password": it takes conn_str and schema`},
		{"bad schema", map[string]string{"conn_str": conn, "schema": "Team-A"}, pg.Config{},
			`the pg backend's schema "Team-A" is not valid: use 1 to 63 lowercase letters, digits or '_', not starting with a digit`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := pg.ConfigFrom(tt.settings)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if gotErr != tt.wantErr {
				t.Errorf("ConfigFrom error = %q, want %q", gotErr, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ConfigFrom (-want +got):\n%s", diff)
			}
		})
	}
}
