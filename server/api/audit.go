package api

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/novacron/novacron/server/auth"
)

// Record is one line of the server's audit log: a request that could
// change something (a login, a logout, a plan, an apply, a VM created,
// deleted or acted on, and those refused), or a change of users or API
// tokens by the CLI (Method "CLI", Route the command, Target the user or
// token, no Status). It never holds a password, a hash, a token or a
// request's body.
type Record struct {
	Time      time.Time `json:"time"`
	Who       string    `json:"who"` // "" when not authenticated
	Client    string    `json:"client"`
	Method    string    `json:"method"`
	Route     string    `json:"route"` // the route's pattern
	Workspace string    `json:"workspace,omitempty"`
	VM        string    `json:"vm,omitempty"`
	PlanID    string    `json:"plan_id,omitempty"`
	RunID     string    `json:"run_id,omitempty"`
	Target    string    `json:"target,omitempty"` // the user or token a CLI command changed
	Role      string    `json:"role,omitempty"`   // the role it gave
	Status    int       `json:"status,omitempty"`
	Outcome   string    `json:"outcome"` // succeeded, accepted, denied, refused, failed
}

// Audit is the server's audit log: JSON lines appended to one file.
type Audit struct {
	mu sync.Mutex
	f  *os.File
}

// AuditFile is where the audit log is kept under the served folder.
const AuditFile = ".nova/server/audit.jsonl"

// OpenAudit opens (creating it and its folder) the audit log at path for
// appending, readable by its owner only.
func OpenAudit(path string) (*Audit, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	return &Audit{f: f}, nil
}

// Close closes the log.
func (a *Audit) Close() error {
	if a == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.f.Close()
}

// record appends rec with its status and outcome; a failure to write is
// logged (the request has been answered by then).
func (a *Audit) record(log *slog.Logger, rec Record, status int) {
	if a == nil {
		return
	}
	if status == 0 {
		status = 200
	}
	rec.Time, rec.Status, rec.Outcome = now().UTC(), status, outcome(status)
	line, err := json.Marshal(rec)
	if err == nil {
		a.mu.Lock()
		_, err = a.f.Write(append(line, '\n'))
		a.mu.Unlock()
	}
	if err != nil {
		log.Error("audit log: cannot append", "route", rec.Route, "error", err.Error())
	}
}

// Append appends rec as it is (with the time now when it has none), for
// a record made outside a request: the CLI's.
func (a *Audit) Append(rec Record) error {
	if rec.Time.IsZero() {
		rec.Time = now().UTC()
	}
	line, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	_, err = a.f.Write(append(line, '\n'))
	return err
}

// outcome names what a status means for the audit log.
func outcome(status int) string {
	switch {
	case status == 401 || status == 403 || status == 429:
		return "denied"
	case status == 202:
		return "accepted"
	case status < 400:
		return "succeeded"
	case status < 500:
		return "refused"
	}
	return "failed"
}

// AuditOthers audits the requests that could change something and are
// not the API's (which audits its own): the dashboard's login and logout
// forms. Who is the principal, or the login form's user name once the
// handler has read the form; nothing else of the form is looked at.
func AuditOthers(a *Audit, log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a == nil || r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions ||
			strings.HasPrefix(r.URL.Path, "/api/v1/") {
			next.ServeHTTP(w, r)
			return
		}
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		rec := Record{Method: r.Method, Route: r.Pattern, Client: clientAddr(r)}
		if p := auth.From(r.Context()); p != nil {
			rec.Who = p.Name
		} else if r.PostForm != nil {
			rec.Who = clip(r.PostForm.Get("username"))
		}
		a.record(log, rec, sw.status)
	})
}
