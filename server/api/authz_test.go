package api_test

import (
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/novacron/novacron/server/api"
	"github.com/novacron/novacron/server/auth"
)

// protected are requests to every route that needs authentication, and
// the least role among the test users' that is still refused (with a
// workspace or VM named, whether or not it exists).
var protected = []struct {
	method, path, body string
	refused            string // a user whose roles do not allow it
}{
	{"GET", "/api/v1/workspaces", "", ""},
	{"GET", "/api/v1/workspaces/quickstart", "", "stranger"},
	{"GET", "/api/v1/workspaces/no-such-workspace", "", "stranger"},
	{"POST", "/api/v1/workspaces/quickstart/refresh", "", "viewer"},
	{"POST", "/api/v1/workspaces/quickstart/plans", "", "viewer"},
	{"POST", "/api/v1/workspaces/no-such-workspace/plans", "", "viewer"},
	{"GET", "/api/v1/workspaces/quickstart/plans/p1", "", "stranger"},
	{"POST", "/api/v1/workspaces/quickstart/plans/p1/apply", `{"digest":"x"}`, "viewer"},
	{"GET", "/api/v1/workspaces/quickstart/runs", "", "stranger"},
	{"GET", "/api/v1/workspaces/quickstart/history", "", "stranger"},
	{"GET", "/api/v1/vms", "", ""},
	{"GET", "/api/v1/vms?workspace=quickstart", "", "stranger"},
	{"POST", "/api/v1/vms", `{"name":"x"}`, "viewer"},
	{"GET", "/api/v1/vms/quickstart:fleet.web%5B0%5D", "", "stranger"},
	{"GET", "/api/v1/vms/quickstart:fleet.web%5B99%5D", "", "stranger"},
	{"DELETE", "/api/v1/vms/quickstart:fleet.web%5B0%5D", "", "viewer"},
	{"POST", "/api/v1/vms/quickstart:fleet.web%5B0%5D/start", "", "viewer"},
	{"POST", "/api/v1/vms/quickstart:fleet.web%5B0%5D/stop", "", "viewer"},
	{"POST", "/api/v1/vms/quickstart:fleet.web%5B0%5D/restart", "", "viewer"},
	{"POST", "/api/v1/vms/quickstart:fleet.web%5B0%5D/migrate", `{"target_host":"hv-02"}`, "viewer"},
	{"GET", "/api/v1/runs/r1", "", ""},
}

// TestAuthFailures sends every protected request without a token, with a
// bad one, with an expired one (401 each, with WWW-Authenticate: Bearer),
// and as a user whose roles do not allow it (403, the same body whether
// the workspace or VM exists or not).
func TestAuthFailures(t *testing.T) {
	e := newEnv(t)
	expired, err := auth.CreateToken(auth.UsersPath(e.root), "old-ci", map[string]auth.Role{"*": auth.Admin}, time.Minute, time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	e.tokens["expired"] = expired
	e.tokens["forged"] = forge(e.tokens["admin"])
	e.tokens["garbage"] = "not-a-token"
	var forbiddenBody string
	for _, rq := range protected {
		for _, user := range []string{"", "garbage", "forged", "expired"} {
			r := e.do(t, user, rq.method, rq.path, rq.body)
			r.wantError(t, 401, "unauthorized")
			if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%s %s as %q: WWW-Authenticate %q", rq.method, rq.path, user, r.header.Get("WWW-Authenticate"))
			}
		}
		if rq.refused == "" {
			continue
		}
		r := e.do(t, rq.refused, rq.method, rq.path, rq.body)
		r.wantError(t, 403, "forbidden")
		if forbiddenBody == "" {
			forbiddenBody = string(r.body)
		} else if string(r.body) != forbiddenBody {
			t.Errorf("%s %s: the 403 body differs from the others:\n%s\n%s", rq.method, rq.path, r.body, forbiddenBody)
		}
	}
	// The denied changes are in the audit log, with what they asked for;
	// the reads are not.
	data, err := os.ReadFile(filepath.Join(e.root, filepath.FromSlash(api.AuditFile)))
	if err != nil {
		t.Fatal(err)
	}
	recs := readAudit(t, data)
	for _, want := range []api.Record{
		{Who: "", Route: "POST /api/v1/workspaces/{ws}/plans", Workspace: "quickstart", Status: 401, Outcome: "denied"},
		{Who: "viewer", Route: "POST /api/v1/workspaces/{ws}/plans", Workspace: "quickstart", Status: 403, Outcome: "denied"},
		{Who: "viewer", Route: "POST /api/v1/vms/{id}/stop", Workspace: "quickstart", VM: "quickstart:fleet.web[0]", Status: 403, Outcome: "denied"},
	} {
		if !slices.ContainsFunc(recs, func(r api.Record) bool {
			return r.Who == want.Who && r.Route == want.Route && r.Workspace == want.Workspace && r.VM == want.VM && r.Status == want.Status && r.Outcome == want.Outcome
		}) {
			t.Errorf("audit log: no %+v", want)
		}
	}
}

// forge changes one character in the middle of a token's signature (one
// whose six bits all count, unlike the last one's).
func forge(token string) string {
	i := len(token) - 10
	c := byte('A')
	if token[i] == c {
		c = 'B'
	}
	return token[:i] + string(c) + token[i+1:]
}

// TestSessionCookie logs in as the dashboard does: the cookie is
// HttpOnly and SameSite=Strict, reads work with it alone, and a change
// made with it needs X-Nova-CSRF: 1.
func TestSessionCookie(t *testing.T) {
	e := newEnv(t)
	r := e.do(t, "", "POST", "/api/v1/auth/login", `{"username":"operator","password":"`+testPassword+`"}`).want(t, 200)
	var ck *http.Cookie
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == "nova_session" {
			ck = c
		}
	}
	if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Secure || ck.Value == "" {
		t.Fatalf("session cookie: %+v, want HttpOnly, SameSite=Strict, not Secure over plain HTTP", ck)
	}
	withCookie := func(csrf string) func(*http.Request) {
		return func(req *http.Request) {
			req.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
			if csrf != "" {
				req.Header.Set("X-Nova-CSRF", csrf)
			}
		}
	}
	e.send(t, "GET", "/api/v1/workspaces/quickstart", "", withCookie("")).want(t, 200)
	e.send(t, "POST", "/api/v1/workspaces/quickstart/plans", "", withCookie("")).wantError(t, 403, "forbidden")
	e.send(t, "POST", "/api/v1/workspaces/quickstart/plans", "", withCookie("yes")).wantError(t, 403, "forbidden")
	e.send(t, "POST", "/api/v1/workspaces/quickstart/plans", "", withCookie("1")).want(t, 201)
	r = e.send(t, "POST", "/api/v1/auth/logout", "", withCookie("1")).want(t, 204)
	if !strings.Contains(r.header.Get("Set-Cookie"), "Max-Age=0") {
		t.Errorf("logout: Set-Cookie %q does not remove the cookie", r.header.Get("Set-Cookie"))
	}
	e.send(t, "GET", "/api/v1/workspaces/quickstart", "", withCookie("")).wantError(t, 401, "unauthorized")
}

// TestLoginFailures: a wrong password is a 401 that says no more, and
// repeated failures are refused with 429 and Retry-After.
func TestLoginFailures(t *testing.T) {
	e := newEnv(t)
	e.do(t, "", "POST", "/api/v1/auth/login", `{"username":"nobody","password":"`+testPassword+`"}`).wantError(t, 401, "unauthorized")
	var last *response
	for range 20 {
		last = e.do(t, "", "POST", "/api/v1/auth/login", `{"username":"viewer","password":"wrong password here"}`)
		if last.code != 401 {
			break
		}
		last.wantError(t, 401, "unauthorized")
	}
	last.wantError(t, 429, "too_many_requests")
	if last.header.Get("Retry-After") == "" {
		t.Errorf("429 without Retry-After")
	}
}
