package workspace

import (
	"net/url"
	"strings"

	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/internal/lazyregexp"
)

// connPassword returns the password in a PostgreSQL connection string,
// URL (postgres://user:pw@host/db?password=pw) or key=value
// (password=pw or password='p w'), or "".
func connPassword(conn string) string {
	if strings.HasPrefix(conn, "postgres://") || strings.HasPrefix(conn, "postgresql://") {
		return urlPassword(conn)
	}
	m := kvPassword.FindStringSubmatch(conn)
	switch {
	case m == nil:
		return ""
	case m[1] != "":
		return strings.NewReplacer(`\'`, `'`, `\\`, `\`).Replace(m[1])
	}
	return m[2]
}

var kvPassword = lazyregexp.New(`(?:^|\s)password\s*=\s*(?:'((?:[^'\\]|\\.)*)'|(\S+))`)

func urlPassword(conn string) string {
	u, err := url.Parse(conn)
	if err != nil {
		// A URL too broken to parse: take what lies between user: and @.
		rest := conn[strings.Index(conn, "://")+3:]
		at := strings.LastIndex(rest, "@")
		if at < 0 {
			return ""
		}
		if _, pw, ok := strings.Cut(rest[:at], ":"); ok {
			return pw
		}
		return ""
	}
	if pw, ok := u.User.Password(); ok && pw != "" {
		return pw
	}
	return u.Query().Get("password")
}

// Redactor removes a backend's secrets from text: every password its
// settings hold, as written and URL-escaped.
type Redactor struct{ secrets []string }

// NewRedactor returns the Redactor of a backend's settings.
func NewRedactor(cfg *spec.BackendConfig) *Redactor {
	r := &Redactor{}
	for name, v := range cfg.Settings {
		if !spec.SecretBackendSetting(name) {
			continue
		}
		if pw := connPassword(v); pw != "" {
			r.secrets = append(r.secrets, pw, url.QueryEscape(pw), url.PathEscape(pw))
		}
	}
	return r
}

// String returns s with every secret replaced by xxxxx.
func (r *Redactor) String(s string) string {
	for _, sec := range r.secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "xxxxx")
		}
	}
	return s
}
