package pg

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/novacron/novacron/state"
)

// Config says where the backend keeps its data.
type Config struct {
	// ConnString is a PostgreSQL connection string, as a URL
	// (postgres://user:password@host:port/database?sslmode=…) or as
	// keyword=value pairs. It may hold a password, which the backend never
	// prints.
	ConnString string
	// Schema is the schema of the backend's tables, created on first use.
	// It is required, with no default: specs that share a database use one
	// schema each, or they share workspaces and destroy each other's VMs.
	Schema string
	// Sealer, when set, encrypts the documents the backend stores.
	Sealer state.Sealer
}

// The keys of ConfigFrom's settings: the attributes of the spec's
// backend "pg" block and of -backend-config.
const (
	KeyConnStr = "conn_str"
	KeySchema  = "schema"
)

// ConfigFrom builds a Config from settings by key (conn_str, schema). An
// unknown key, a missing conn_str or schema, or a schema name PostgreSQL
// would need quoting for is an error naming the setting; no error repeats
// the connection string. The whitespace around conn_str is removed.
func ConfigFrom(settings map[string]string) (Config, error) {
	var unknown []string
	for k := range settings {
		if k != KeyConnStr && k != KeySchema {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return Config{}, fmt.Errorf("the pg backend has no setting %s: it takes %s and %s",
			strings.Join(quoteAll(unknown), ", "), KeyConnStr, KeySchema)
	}
	cfg := Config{ConnString: strings.TrimSpace(settings[KeyConnStr]), Schema: settings[KeySchema]}
	if strings.TrimSpace(cfg.ConnString) == "" {
		return Config{}, fmt.Errorf("the pg backend needs %s, a PostgreSQL connection string (postgres://USER@HOST:PORT/DATABASE); "+
			"set it in the backend block, with -backend-config=%s=…, or in NOVA_PG_CONN_STR", KeyConnStr, KeyConnStr)
	}
	if err := checkSchema(cfg.Schema); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

func quoteAll(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = fmt.Sprintf("%q", k)
	}
	return out
}

// schemaName is compiled at its first use, not when nova-plan starts:
// the counted repetition costs hundreds of allocations (issue 15).
var schemaName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`) })

// checkSchema refuses a schema name that is missing or not a plain
// lowercase identifier.
func checkSchema(name string) error {
	if name == "" {
		return fmt.Errorf("the pg backend needs a %s: give each spec its own, e.g. %s = \"web_prod\"", KeySchema, KeySchema)
	}
	if schemaName().MatchString(name) {
		return nil
	}
	return fmt.Errorf("the pg backend's %s %q is not valid: use 1 to 63 lowercase letters, digits or '_', not starting with a digit", KeySchema, name)
}

// parse checks cfg and returns the pool configuration it names. Its
// errors never hold the connection string's password.
func parse(cfg Config) (*pgxpool.Config, string, error) {
	if err := checkSchema(cfg.Schema); err != nil {
		return nil, "", err
	}
	schema := cfg.Schema
	pc, err := pgxpool.ParseConfig(cfg.ConnString)
	if err != nil {
		return nil, "", fmt.Errorf("the pg backend's %s is not a valid PostgreSQL connection string: %s",
			KeyConnStr, redact(err.Error(), secretsOf(cfg.ConnString, nil)))
	}
	return pc, schema, nil
}

// where names a server and role for messages: "host:port as user".
func where(host string, port uint16, user string) string {
	if strings.HasPrefix(host, "/") {
		return fmt.Sprintf("%s (socket) as %s", host, user)
	}
	return fmt.Sprintf("%s:%d as %s", host, port, user)
}

// describe names the database, schema and role, never the password.
func describe(pc *pgxpool.Config, schema string) string {
	cc := pc.ConnConfig
	return fmt.Sprintf("PostgreSQL database %q at %s, schema %q", cc.Database, where(cc.Host, cc.Port, cc.User), schema)
}

// secretsOf returns the password a connection string holds, as written
// and as parsed (URL-decoded), for redact.
func secretsOf(conn string, pc *pgxpool.Config) []string {
	var out []string
	if pc != nil {
		out = append(out, pc.ConnConfig.Password)
	}
	if m := urlPassword.FindStringSubmatch(conn); m != nil {
		out = append(out, m[1])
	}
	for _, m := range kvPassword.FindAllStringSubmatch(conn, -1) {
		out = append(out, strings.Trim(m[1], "'"))
	}
	return slices.DeleteFunc(slices.Compact(out), func(s string) bool { return len(s) < 3 })
}

var (
	urlPassword = regexp.MustCompile(`^postgres(?:ql)?://[^:@/]*:([^@]*)@`)
	kvPassword  = regexp.MustCompile(`password\s*=\s*('[^']*'|\S+)`)
)

// redact replaces every secret in msg with xxxxx.
func redact(msg string, secrets []string) string {
	for _, s := range secrets {
		if s != "" {
			msg = strings.ReplaceAll(msg, s, "xxxxx")
		}
	}
	return msg
}
