package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/novacron/novacron/server"
	"github.com/novacron/novacron/server/auth"
	"github.com/novacron/novacron/server/estate"
)

// The users of a test estate: their roles, and their (test) password.
const testPassword = "correct horse battery staple"

var testUsers = map[string]map[string]auth.Role{
	"admin":    {"*": auth.Admin},
	"operator": {"quickstart": auth.Operator, "apivms": auth.Operator},
	"viewer":   {"quickstart": auth.Viewer, "apivms": auth.Viewer},
	"stranger": {"elsewhere": auth.Admin},
}

// testEnv is a served estate: examples/quickstart (the sim provider) as
// the workspace "quickstart", and "apivms", the API-owned workspace,
// behind a real HTTP server; tokens holds each test user's login token.
type testEnv struct {
	root   string
	url    string
	inst   *server.Instance
	tokens map[string]string
}

func newEnv(t testing.TB) *testEnv {
	t.Helper()
	root := t.TempDir()
	copyExample(t, "quickstart", filepath.Join(root, "quickstart"))
	writeFile(t, filepath.Join(root, "apivms", "main.nova.hcl"), apiSpec)
	for name, roles := range testUsers {
		if err := auth.AddUser(auth.UsersPath(root), name, testPassword, roles); err != nil {
			t.Fatalf("adding user %s: %v", name, err)
		}
	}
	return serveEnv(t, root, nil)
}

// apiSpec is the API-owned workspace's own spec: the provider and the
// template the VMs the API creates name.
const apiSpec = `
provider "sim" "lab" {
  hosts          = 3
  host_cpu       = 32
  host_memory_gb = 128
  latency        = "0s"
}
template "ubuntu-22.04" {
  sim { image = "ubuntu-22.04" }
}
`

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// serveEnv serves the estate at root and logs users in (nil: every test
// user).
func serveEnv(t testing.TB, root string, users []string) *testEnv {
	t.Helper()
	return serveEnvOptions(t, root, users, server.Options{APIWorkspace: "apivms", LockTimeout: 2 * time.Minute})
}

// serveEnvOptions is serveEnv with the server's options.
func serveEnvOptions(t testing.TB, root string, users []string, o server.Options) *testEnv {
	t.Helper()
	inst, err := server.Open(context.Background(), root, o)
	if err != nil {
		t.Fatalf("server.Open: %v", err)
	}
	srv := httptest.NewServer(inst.Handler)
	t.Cleanup(func() {
		srv.Close()
		if err := inst.Close(); err != nil {
			t.Errorf("closing the server: %v", err)
		}
	})
	e := &testEnv{root: root, url: srv.URL, inst: inst, tokens: map[string]string{}}
	if users == nil {
		for name := range testUsers {
			users = append(users, name)
		}
	}
	for _, name := range users {
		var lr struct{ Token string }
		e.do(t, "", "POST", "/api/v1/auth/login", `{"username":"`+name+`","password":"`+testPassword+`"}`).
			want(t, 200).decode(t, &lr)
		e.tokens[name] = lr.Token
	}
	return e
}

// copyExample copies examples/NAME, its spec files only, to dst.
func copyExample(t testing.TB, name, dst string) {
	t.Helper()
	src := filepath.Join("..", "..", "examples", name)
	files, err := filepath.Glob(filepath.Join(src, "*.nova.hcl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("examples/%s has no spec files (%v)", name, err)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err == nil {
			err = os.WriteFile(filepath.Join(dst, filepath.Base(f)), data, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// response is an answer the test has read whole.
type response struct {
	method, path string
	code         int
	header       http.Header
	body         []byte
}

// do sends a request as user ("" for none) with body (a JSON string, ""
// for none).
func (e *testEnv) do(t testing.TB, user, method, path, body string) *response {
	t.Helper()
	return e.send(t, method, path, body, func(r *http.Request) {
		if user != "" {
			r.Header.Set("Authorization", "Bearer "+e.token(t, user))
		}
	})
}

func (e *testEnv) token(t testing.TB, user string) string {
	t.Helper()
	tok, ok := e.tokens[user]
	if !ok {
		t.Fatalf("no test user %q", user)
	}
	return tok
}

// send sends a request, set up by prepare.
func (e *testEnv) send(t testing.TB, method, path, body string, prepare func(*http.Request)) *response {
	t.Helper()
	r, err := e.request(method, path, body, prepare)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// request sends a request, set up by prepare, and reads the answer; it
// may be called from any goroutine.
func (e *testEnv) request(method, path, body string, prepare func(*http.Request)) (*response, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.url+path, rd)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %v", method, path, err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	prepare(req)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: reading the answer: %v", method, path, err)
	}
	return &response{method: method, path: path, code: resp.StatusCode, header: resp.Header, body: data}, nil
}

// bearer sets user's token on a request.
func (e *testEnv) bearer(user string) func(*http.Request) {
	tok := e.tokens[user]
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) }
}

// run sends a request that starts a run and returns the run; it may be
// called from any goroutine.
func (e *testEnv) run(user, method, path, body string) (estate.Run, error) {
	var run estate.Run
	r, err := e.request(method, path, body, e.bearer(user))
	if err == nil && r.code != http.StatusAccepted {
		err = fmt.Errorf("%s %s: status %d, want 202\n%s", method, path, r.code, r.body)
	}
	if err == nil {
		err = json.Unmarshal(r.body, &run)
	}
	return run, err
}

// want fails the test unless the answer's status is code.
func (r *response) want(t testing.TB, code int) *response {
	t.Helper()
	if r.code != code {
		t.Fatalf("%s %s: status %d, want %d\n%s", r.method, r.path, r.code, code, r.body)
	}
	return r
}

// decode reads the answer's JSON into v.
func (r *response) decode(t testing.TB, v any) *response {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(r.body))
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s %s: the answer is not the JSON expected: %v\n%s", r.method, r.path, err, r.body)
	}
	return r
}

// apiError is an error answer's body.
type apiError struct {
	Error struct {
		Code        string            `json:"code"`
		Message     string            `json:"message"`
		Diagnostics []json.RawMessage `json:"diagnostics"`
	} `json:"error"`
}

// wantError fails the test unless the answer is code with a JSON error
// body of errCode, and returns the body.
func (r *response) wantError(t testing.TB, code int, errCode string) apiError {
	t.Helper()
	r.want(t, code)
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s %s: Content-Type %q, want application/json", r.method, r.path, ct)
	}
	var body apiError
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		t.Fatalf("%s %s: the error body is not {\"error\":{…}}: %v\n%s", r.method, r.path, err, r.body)
	}
	if body.Error.Code != errCode || body.Error.Message == "" || body.Error.Diagnostics == nil {
		t.Errorf("%s %s: error %+v, want code %q with a message and a diagnostics array", r.method, r.path, body.Error, errCode)
	}
	return body
}
