package api_test

import (
	"net/http"
	"strings"
	"testing"
)

// hostile are requests a careless or hostile client sends, and the error
// each must get: a 4xx with a JSON error body, never a 500.
var hostile = []struct {
	name, method, path, body string
	code                     int
	errCode                  string
}{
	// Bodies.
	{"syntax", "POST", "/api/v1/workspaces/quickstart/plans", `{`, 400, "bad_request"},
	{"not an object", "POST", "/api/v1/workspaces/quickstart/plans", `[]`, 400, "bad_request"},
	{"null", "POST", "/api/v1/workspaces/quickstart/plans", `null`, 400, "bad_request"},
	{"string", "POST", "/api/v1/workspaces/quickstart/plans", `"x"`, 400, "bad_request"},
	{"unknown field", "POST", "/api/v1/workspaces/quickstart/plans", `{"destroy":false,"force":true}`, 400, "bad_request"},
	{"wrong type", "POST", "/api/v1/workspaces/quickstart/plans", `{"destroy":"yes"}`, 400, "bad_request"},
	{"wrong nested type", "POST", "/api/v1/workspaces/quickstart/plans", `{"vars":{"web_count":4}}`, 400, "bad_request"},
	{"trailing data", "POST", "/api/v1/workspaces/quickstart/plans", `{} {}`, 400, "bad_request"},
	{"trailing garbage", "POST", "/api/v1/workspaces/quickstart/plans", `{}x`, 400, "bad_request"},
	{"invalid UTF-8", "POST", "/api/v1/workspaces/quickstart/plans", "{\"vars\":{\"a\":\"\xff\xfe\"}}", 400, "bad_request"},
	{"huge body", "POST", "/api/v1/workspaces/quickstart/plans", `{"vars":{"a":"` + strings.Repeat("x", 5<<20) + `"}}`, 400, "bad_request"},
	{"huge number", "POST", "/api/v1/vms", `{"name":"a","cpu":1e400}`, 400, "bad_request"},
	{"fraction for an integer", "POST", "/api/v1/vms", `{"name":"a","cpu":1.5}`, 400, "bad_request"},
	{"no body", "POST", "/api/v1/vms", ``, 400, "bad_request"},
	{"body on an action", "POST", "/api/v1/vms/quickstart:fleet.web%5B0%5D/stop", `{"force":true}`, 400, "bad_request"},
	{"migrate without a host", "POST", "/api/v1/vms/quickstart:fleet.web%5B0%5D/migrate", `{"live":true}`, 400, "bad_request"},
	{"apply without a digest", "POST", "/api/v1/workspaces/quickstart/plans/p1/apply", `{}`, 400, "bad_request"},
	{"login without a password", "POST", "/api/v1/auth/login", `{"username":"admin"}`, 400, "bad_request"},
	{"login with a number", "POST", "/api/v1/auth/login", `{"username":1,"password":"x"}`, 400, "bad_request"},
	{"duplicate key", "POST", "/api/v1/workspaces/quickstart/plans", `{"destroy":false,"destroy":true}`, 400, "bad_request"},
	{"duplicate nested key", "POST", "/api/v1/workspaces/quickstart/plans", `{"vars":{"web_count":"2","web_count":"9"}}`, 400, "bad_request"},
	{"duplicate object key", "POST", "/api/v1/workspaces/quickstart/plans", `{"vars":{"a":"1"},"vars":{"b":"2"}}`, 400, "bad_request"},
	{"duplicate field in another case", "POST", "/api/v1/workspaces/quickstart/plans", `{"destroy":false,"Destroy":true}`, 400, "bad_request"},
	{"duplicate field folded", "POST", "/api/v1/auth/login", `{"username":"x","USERNAME":"admin","password":"p"}`, 400, "bad_request"},
	{"deep nesting", "POST", "/api/v1/workspaces/quickstart/plans", strings.Repeat(`{"vars":`, 100000), 400, "bad_request"},

	// Query parameters.
	{"negative limit", "GET", "/api/v1/vms?limit=-1", "", 400, "bad_request"},
	{"zero limit", "GET", "/api/v1/vms?limit=0", "", 400, "bad_request"},
	{"limit over 1000", "GET", "/api/v1/vms?limit=1001", "", 400, "bad_request"},
	{"limit not a number", "GET", "/api/v1/vms?limit=ten", "", 400, "bad_request"},
	{"limit overflowing", "GET", "/api/v1/vms?limit=99999999999999999999999", "", 400, "bad_request"},
	{"negative offset", "GET", "/api/v1/vms?offset=-5", "", 400, "bad_request"},
	{"status", "GET", "/api/v1/vms?status=paused", "", 400, "bad_request"},
	{"unknown parameter", "GET", "/api/v1/vms?sort=name", "", 400, "bad_request"},
	{"repeated parameter", "GET", "/api/v1/vms?limit=1&limit=2", "", 400, "bad_request"},
	{"malformed escape", "GET", "/api/v1/vms?host=%zz", "", 400, "bad_request"},
	{"workspace traversal", "GET", "/api/v1/vms?workspace=../../etc", "", 400, "bad_request"},
	{"wait over 60s", "GET", "/api/v1/runs/r1?wait=61s", "", 400, "bad_request"},
	{"negative wait", "GET", "/api/v1/runs/r1?wait=-1s", "", 400, "bad_request"},
	{"wait not a duration", "GET", "/api/v1/runs/r1?wait=soon", "", 400, "bad_request"},
	{"history limit", "GET", "/api/v1/workspaces/quickstart/history?limit=0", "", 400, "bad_request"},
	{"runs offset", "GET", "/api/v1/workspaces/quickstart/runs?offset=x", "", 400, "bad_request"},

	// Names and ids.
	{"escaped slash in a workspace", "GET", "/api/v1/workspaces/..%2F..%2Fetc", "", 400, "bad_request"},
	{"backslash in a workspace", "GET", "/api/v1/workspaces/..%5Cetc", "", 400, "bad_request"},
	{"NUL in a workspace", "GET", "/api/v1/workspaces/quick%00start", "", 400, "bad_request"},
	{"invalid UTF-8 in a workspace", "GET", "/api/v1/workspaces/%ff%fe", "", 400, "bad_request"},
	{"invalid UTF-8 in a VM id", "GET", "/api/v1/vms/quickstart:%ff", "", 400, "bad_request"},
	{"dot-dot workspace", "GET", "/api/v1/workspaces/%2e%2e", "", 400, "bad_request"},
	{"dot-dot in a VM action", "POST", "/api/v1/vms/%2e%2e/%2e%2e/workspaces/quickstart/plans", "", 404, "not_found"},
	{"long workspace", "GET", "/api/v1/workspaces/" + strings.Repeat("a", 5000), "", 400, "bad_request"},
	{"traversal plan id", "GET", "/api/v1/workspaces/quickstart/plans/..%2F..%2Fstate.json", "", 404, "not_found"},
	{"traversal run id", "GET", "/api/v1/runs/..%2F..%2Fetc%2Fpasswd", "", 404, "not_found"},
	{"VM id without a workspace", "GET", "/api/v1/vms/fleet.web%5B0%5D", "", 400, "bad_request"},
	{"VM id traversal", "GET", "/api/v1/vms/..%2F..%3Aetc", "", 400, "bad_request"},
	{"VM id with a control", "GET", "/api/v1/vms/quickstart:fleet.web%0A", "", 400, "bad_request"},
	{"VM id with an empty name", "GET", "/api/v1/vms/quickstart:vm.", "", 400, "bad_request"},
	{"VM id of an empty address", "GET", "/api/v1/vms/quickstart:", "", 400, "bad_request"},
	{"VM of no workspace", "GET", "/api/v1/vms/nowhere:fleet.web%5B0%5D", "", 404, "not_found"},
	{"no such plan", "GET", "/api/v1/workspaces/quickstart/plans/nope", "", 404, "not_found"},
	{"no such workspace", "GET", "/api/v1/workspaces/nowhere", "", 404, "not_found"},

	// Routes and media types.
	{"unknown route", "GET", "/api/v1/nope", "", 404, "not_found"},
	{"method not allowed", "PUT", "/api/v1/vms", `{}`, 405, "method_not_allowed"},
	{"DELETE a workspace", "DELETE", "/api/v1/workspaces/quickstart", "", 405, "method_not_allowed"},
}

// TestHostileRequests sends each hostile request as the admin and wants
// its error, a JSON error body, and never a 500.
func TestHostileRequests(t *testing.T) {
	e := newEnv(t)
	for _, h := range hostile {
		t.Run(h.name, func(t *testing.T) {
			r := e.do(t, "admin", h.method, h.path, h.body)
			if r.code >= 500 {
				t.Fatalf("%s %.80s: %d\n%s", h.method, h.path, r.code, r.body)
			}
			r.wantError(t, h.code, h.errCode)
		})
	}
	for _, c := range []struct {
		contentType string
		code        int
	}{
		{"text/plain", 415},
		{"application/json; charset=latin1", 415},
		{"application/json; charset=utf-16", 415},
		{"application/json; charset=utf-8", 201},
		{"Application/JSON; Charset=UTF-8", 201},
		{"application/json", 201},
	} {
		t.Run(c.contentType, func(t *testing.T) {
			r := e.send(t, "POST", "/api/v1/workspaces/quickstart/plans", `{}`, func(r *http.Request) {
				r.Header.Set("Authorization", "Bearer "+e.tokens["admin"])
				r.Header.Set("Content-Type", c.contentType)
			})
			if c.code == http.StatusUnsupportedMediaType {
				r.wantError(t, 415, "unsupported_media_type")
			} else {
				r.want(t, c.code)
			}
		})
	}
}
