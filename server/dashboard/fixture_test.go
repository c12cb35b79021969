package dashboard_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/novacron/novacron/server/auth"
	"github.com/novacron/novacron/server/dashboard"
	"github.com/novacron/novacron/server/estate"
)

// testPassword is every test user's password.
const testPassword = "correct horse battery staple"

// hostileWS is the workspace of hostileSpec. (Its own name cannot be
// hostile: the estate serves only folders named like identifiers, and the
// spec refuses such VM names.)
const hostileWS = "hostile"

// hostileSpec is a spec whose tags — free text — try to break out of
// every context a page puts them in: attribute, text, script.
const hostileSpec = `
provider "sim" "lab" {
  hosts = 2
}
template "t" {
  sim { image = "ubuntu-22.04" }
}
fleet "app" {
  provider  = provider.sim.lab
  count     = 2
  name      = "app-${count.index}"
  template  = template.t
  cpu       = 1
  memory_gb = 1
  disk_gb   = 10
  tags = {
    "<b title=\"x\">" = "</td><script>alert(3)</script>"
    note             = "\"'><img src=x onerror=alert(4)>"
  }
}
`

// fixture is an estate over a copy of examples/quickstart (with the sim
// provider's latency set to latency) and, with hostile, the hostile
// workspace; users of each role in its users file.
type fixture struct {
	root  string
	est   *estate.Estate
	auth  *auth.Service
	admin string // the initial admin's password
}

func newFixture(t testing.TB, latency string, hostile bool) *fixture {
	t.Helper()
	return newFixtureWith(t, latency, hostile, estate.Options{LockTimeout: time.Minute}, nil)
}

// newFixtureWith is newFixture with the estate's options, and setup
// called on the served folder before the estate opens it.
func newFixtureWith(t testing.TB, latency string, hostile bool, o estate.Options, setup func(root string)) *fixture {
	t.Helper()
	root := t.TempDir()
	writeQuickstart(t, filepath.Join(root, "quickstart"), latency)
	if setup != nil {
		setup(root)
	}
	if hostile {
		writeFile(t, filepath.Join(root, hostileWS, "main.nova.hcl"), hostileSpec)
	}
	f := &fixture{root: root}
	f.addUsers(t)
	var err error
	if f.auth, err = auth.Open(root, auth.Options{}); err != nil {
		t.Fatalf("auth: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if f.est, err = estate.Open(ctx, root, o); err != nil {
		t.Fatalf("opening the estate over %s: %v", root, err)
	}
	t.Cleanup(func() {
		if err := f.est.Close(); err != nil {
			t.Errorf("closing the estate: %v", err)
		}
	})
	return f
}

// addUsers makes the users file of the served folder: the initial admin
// (whose password f.admin keeps), and a viewer and an operator of every
// workspace and a viewer of quickstart only, all with testPassword.
func (f *fixture) addUsers(t testing.TB) {
	t.Helper()
	root := f.root
	pwFile, err := auth.InitialAdmin(auth.UsersPath(root))
	if err != nil {
		t.Fatalf("initial admin: %v", err)
	}
	pw, err := os.ReadFile(pwFile)
	if err != nil {
		t.Fatal(err)
	}
	f.admin = strings.TrimSpace(string(pw))
	for name, roles := range map[string]map[string]auth.Role{
		"viewer":   {auth.AllWorkspaces: auth.Viewer},
		"operator": {auth.AllWorkspaces: auth.Operator},
		"narrow":   {"quickstart": auth.Viewer},
	} {
		if err := auth.AddUser(auth.UsersPath(root), name, testPassword, roles); err != nil {
			t.Fatalf("adding %s: %v", name, err)
		}
	}
}

// writeQuickstart copies examples/quickstart into dir with the sim
// provider's latency set.
func writeQuickstart(t testing.TB, dir, latency string) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "examples", "quickstart", "main.nova.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?m)^(\s*latency\s*=\s*)"[^"]*"`)
	if !re.Match(src) {
		t.Fatal("examples/quickstart/main.nova.hcl sets no latency for the sim provider any more: update this test")
	}
	writeFile(t, filepath.Join(dir, "main.nova.hcl"), re.ReplaceAllString(string(src), `${1}"`+latency+`"`))
}

// setWebCount makes the quickstart copy in dir run n web VMs by default
// (and gives its sim 99 hosts, room for 12,000 of them).
func setWebCount(t testing.TB, dir string, n int) {
	t.Helper()
	path := filepath.Join(dir, "main.nova.hcl")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := regexp.MustCompile(`(variable "web_count" \{[^}]*?default\s*=\s*)\d+`).ReplaceAll(src, []byte("${1}"+strconv.Itoa(n)))
	out = regexp.MustCompile(`<= 500`).ReplaceAll(out, []byte("<= 100000"))
	out = regexp.MustCompile(`(?m)^(\s*hosts\s*=\s*)\d+`).ReplaceAll(out, []byte("${1}99")) // two-digit names: db-01 is pinned to hv-01
	out = regexp.MustCompile(`(?m)^(\s*host_cpu\s*=\s*)\d+`).ReplaceAll(out, []byte("${1}256"))
	out = regexp.MustCompile(`(?m)^(\s*host_memory_gb\s*=\s*)\d+`).ReplaceAll(out, []byte("${1}1024"))
	if string(out) == string(src) {
		t.Fatal("examples/quickstart/main.nova.hcl has no web_count default any more: update this test")
	}
	writeFile(t, path, string(out))
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// serveDashboard serves the dashboard alone over the fixture's estate.
func (f *fixture) serveDashboard(t testing.TB) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(dashboard.New(f.est, dashboard.Options{Auth: f.auth}).Handler())
	t.Cleanup(srv.Close)
	return srv
}

// applied plans and applies a workspace, as who, and returns the plan
// and the finished run.
func (f *fixture) applied(t testing.TB, ws, who string) (*estate.SavedPlan, *estate.Run) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	sp, err := f.est.Plan(ctx, ws, who, estate.PlanRequest{})
	if err != nil {
		t.Fatalf("planning %s: %v", ws, err)
	}
	run, err := f.est.Apply(ctx, ws, sp.ID, sp.Digest, who)
	if err != nil {
		t.Fatalf("applying %s: %v", ws, err)
	}
	if run, err = f.est.GetRun(ctx, run.ID, time.Minute); err != nil {
		t.Fatalf("waiting for run %s: %v", run.ID, err)
	}
	if run.Status != estate.RunSucceeded {
		t.Fatalf("applying %s: run %s %s: %s %v", ws, run.ID, run.Status, run.Error, run.Failed)
	}
	return sp, run
}

// client is a browser-like client of srv: a cookie jar, no redirects
// followed.
func client(t testing.TB) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{
		Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// login logs user in through the login form and returns their client.
func login(t testing.TB, srv *httptest.Server, user, password string) *http.Client {
	t.Helper()
	c := client(t)
	resp, err := c.PostForm(srv.URL+"/login", url.Values{"username": {user}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logging in as %s: %s, want 303", user, resp.Status)
	}
	return c
}
