package pg_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/novacron/novacron/internal/pgtest"
	"github.com/novacron/novacron/state/pg"
)

// TestPasswordNeverShown forces failures with the real test server's
// connection string, whose password is real, and checks that no message
// and no Describe holds it, while each says where and why.
func TestPasswordNeverShown(t *testing.T) {
	conn := pgtest.ConnString(t)
	cfg, err := pgx.ParseConfig(conn)
	if err != nil {
		t.Fatal(err)
	}
	password := cfg.Password
	if len(password) < 8 {
		t.Fatalf("the test server's password is %d characters; this test needs a real one", len(password))
	}
	at := fmt.Sprintf("cannot connect to PostgreSQL at %s:%d as %s: ", cfg.Host, cfg.Port, cfg.User)
	port := regexp.MustCompile(`:\d+/`)
	wrongPassword := strings.Replace(conn, ":"+password+"@", ":"+password+"x@", 1)
	tests := []struct {
		name string
		conn string
		want []string
	}{
		{"wrong database", pgtest.WithDatabase(t, conn, "no_such_db_here"), []string{at, `database "no_such_db_here" does not exist`}},
		{"wrong password", wrongPassword, []string{at, "password authentication failed", "check the password"}},
		{"nothing listening", port.ReplaceAllString(conn, ":1/"), []string{"cannot connect to PostgreSQL at " + cfg.Host + ":1 as", "connection refused"}},
		{"keyword/value", fmt.Sprintf("host=%s port=%d user=%s password=%s dbname=no_such_db_here sslmode=disable", cfg.Host, cfg.Port, cfg.User, password),
			[]string{at, `database "no_such_db_here" does not exist`}},
		{"not a port", port.ReplaceAllString(conn, ":x/"), []string{"conn_str is not a valid PostgreSQL connection string"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			b, err := pg.Open(ctx, pg.Config{ConnString: tt.conn, Schema: pgtest.Schema(t)})
			if err == nil {
				b.Close()
				t.Fatalf("Open succeeded")
			}
			msg := err.Error()
			t.Log(msg)
			if strings.Contains(msg, password) {
				t.Errorf("the error holds the password: %s", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not say %q", msg, w)
				}
			}
		})
	}
	b := open(t, pgtest.Schema(t))
	if d := b.Describe(); strings.Contains(d, password) || !strings.Contains(d, cfg.User) || !strings.Contains(d, cfg.Database) {
		t.Errorf("Describe() = %q, want the user and database without the password", d)
	}
}
