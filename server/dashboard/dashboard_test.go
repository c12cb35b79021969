package dashboard_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/novacron/novacron/server/auth"
	"github.com/novacron/novacron/server/estate"
)

// get fetches path with c and returns the response and its body.
func get(t testing.TB, c *http.Client, base, path string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(base + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return resp, string(body)
}

// checkHeaders checks the security headers every page carries.
func checkHeaders(t *testing.T, path string, resp *http.Response) {
	t.Helper()
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("%s: Content-Security-Policy %q lacks %q", path, csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("%s: Content-Security-Policy %q allows inline script or style", path, csp)
	}
	if got := resp.Header.Get("X-Frame-Options"); got != "DENY" {
		t.Errorf("%s: X-Frame-Options %q, want DENY", path, got)
	}
	if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("%s: X-Content-Type-Options %q, want nosniff", path, got)
	}
}

func TestPages(t *testing.T) {
	f := newFixture(t, "0s", false)
	sp, run := f.applied(t, "quickstart", "operator")
	srv := f.serveDashboard(t)
	pages := []string{
		"/", "/workspaces/quickstart", "/workspaces/quickstart?status=running&fleet=fleet.web",
		"/workspaces/quickstart/history", "/workspaces/quickstart/plans/" + url.PathEscape(sp.ID),
		"/runs/" + url.PathEscape(run.ID),
	}

	t.Run("logged out", func(t *testing.T) {
		c := client(t)
		for _, p := range pages {
			resp, _ := get(t, c, srv.URL, p)
			checkHeaders(t, p, resp)
			want := "/login?next=" + url.QueryEscape(p)
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
				t.Errorf("GET %s logged out: %s to %q, want 303 to %q", p, resp.Status, resp.Header.Get("Location"), want)
			}
		}
	})

	viewer := login(t, srv, "viewer", testPassword)
	operator := login(t, srv, "operator", testPassword)
	for _, p := range pages {
		resp, body := get(t, viewer, srv.URL, p)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s as a viewer: %s", p, resp.Status)
			continue
		}
		checkHeaders(t, p, resp)
		if resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s: Cache-Control %q, want no-store", p, resp.Header.Get("Cache-Control"))
		}
		for _, button := range []string{`id="plan-button"`, `id="apply-button"`} {
			if strings.Contains(body, button) {
				t.Errorf("GET %s: a viewer is shown %s", p, button)
			}
		}
		if strings.Contains(body, "nova_session") || strings.Contains(body, f.admin) {
			t.Errorf("GET %s: the page shows a secret", p)
		}
	}

	t.Run("content", func(t *testing.T) {
		_, body := get(t, viewer, srv.URL, "/")
		for _, want := range []string{"fleet.web", "vm.db-01", "sim.lab", "db-01", "web-3", "hv-01", "running", `href="/workspaces/quickstart"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the overview lacks %q", want)
			}
		}
		_, body = get(t, viewer, srv.URL, "/workspaces/quickstart?fleet=fleet.web")
		if !strings.Contains(body, "web-0") || strings.Contains(body, "<td>db-01</td>") {
			t.Errorf("the VMs of fleet.web list the wrong VMs:\n%s", body)
		}
		_, body = get(t, viewer, srv.URL, pages[4])
		for _, want := range []string{`<svg class="graph"`, `data-address="fleet.web[0]"`, "create", "after vm.db-01"} {
			if !strings.Contains(body, want) {
				t.Errorf("the plan page lacks %q", want)
			}
		}
	})

	t.Run("operator sees the buttons", func(t *testing.T) {
		_, body := get(t, operator, srv.URL, "/workspaces/quickstart")
		if !strings.Contains(body, `id="plan-button"`) || !strings.Contains(body, `data-url="/api/v1/workspaces/quickstart/plans"`) {
			t.Errorf("an operator is not shown the Plan button")
		}
		ctx := t.Context()
		sp2, err := f.est.Plan(ctx, "quickstart", "operator", planWithMoreWeb())
		if err != nil {
			t.Fatal(err)
		}
		_, body = get(t, operator, srv.URL, "/workspaces/quickstart/plans/"+url.PathEscape(sp2.ID))
		if !strings.Contains(body, `id="apply-button"`) || !strings.Contains(body, `data-digest="`+sp2.Digest+`"`) {
			t.Errorf("an operator is not shown the Apply button with the plan's digest")
		}
	})

	t.Run("not found and forbidden", func(t *testing.T) {
		for p, want := range map[string]int{
			"/workspaces/nope": http.StatusNotFound, "/workspaces/quickstart/plans/nope": http.StatusNotFound,
			"/runs/nope": http.StatusNotFound, "/nope": http.StatusNotFound,
		} {
			if resp, _ := get(t, viewer, srv.URL, p); resp.StatusCode != want {
				t.Errorf("GET %s: %s, want %d", p, resp.Status, want)
			}
		}
	})
}

// planWithMoreWeb asks for a plan that changes something after the
// quickstart was applied: two more web VMs.
func planWithMoreWeb() estate.PlanRequest {
	return estate.PlanRequest{Vars: map[string]string{"web_count": "6"}}
}

// The overview counts every VM, past the listing's page size, and lists
// the first of each provider.
func TestOverviewCountsAll(t *testing.T) {
	const web = 1100 // more than a page of the listing (estate.MaxLimit), with db-01
	f := newFixtureWith(t, "0s", false, estate.Options{LockTimeout: time.Minute}, func(root string) {
		setWebCount(t, filepath.Join(root, "quickstart"), web)
	})
	f.applied(t, "quickstart", "operator")
	srv := f.serveDashboard(t)
	_, body := get(t, login(t, srv, "viewer", testPassword), srv.URL, "/")
	for _, want := range []string{
		fmt.Sprintf(`<span class="big">%d</span>`, web+1),
		fmt.Sprintf(`<span class="chip-name">running</span> <span class="chip-n">%d</span>`, web+1),
		fmt.Sprintf("and %d more", web+1-50),
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the overview of %d VMs lacks %q", web+1, want)
		}
	}
	if resp, _ := get(t, login(t, srv, "viewer", testPassword), srv.URL, "/workspaces/quickstart?status=sleeping"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a filter on an unknown power state: %s, want 400", resp.Status)
	}
}

func TestRoles(t *testing.T) {
	f := newFixture(t, "0s", true)
	srv := f.serveDashboard(t)
	narrow := login(t, srv, "narrow", testPassword)
	if resp, _ := get(t, narrow, srv.URL, "/workspaces/quickstart"); resp.StatusCode != http.StatusOK {
		t.Errorf("a viewer of quickstart gets its page: %s", resp.Status)
	}
	p := "/workspaces/" + url.PathEscape(hostileWS)
	if resp, body := get(t, narrow, srv.URL, p); resp.StatusCode != http.StatusForbidden || strings.Contains(body, "fleet.app") {
		t.Errorf("a viewer of quickstart only gets another workspace's page: %s", resp.Status)
	}
	if _, body := get(t, narrow, srv.URL, "/"); strings.Contains(body, "/workspaces/"+hostileWS) || !strings.Contains(body, "/workspaces/quickstart") {
		t.Errorf("the overview of a viewer of quickstart only lists another workspace, or not quickstart")
	}
}

func TestLogin(t *testing.T) {
	f := newFixture(t, "0s", false)
	srv := f.serveDashboard(t)
	c := client(t)
	resp, body := get(t, c, srv.URL, "/login?next=/workspaces/quickstart")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `name="password"`) {
		t.Fatalf("GET /login: %s", resp.Status)
	}
	checkHeaders(t, "/login", resp)

	post := func(form url.Values, origin string, site ...string) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		if len(site) > 0 {
			req.Header.Set("Sec-Fetch-Site", site[0])
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := post(url.Values{"username": {"admin"}, "password": {"wrong password, long"}}, ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a wrong password: %s, want 401", resp.Status)
	}
	good := url.Values{"username": {"admin"}, "password": {f.admin}, "next": {"/workspaces/quickstart"}}
	for _, site := range [][]string{nil, {"cross-site"}, {"same-site"}} {
		if resp := post(good, "http://evil.example", site...); resp.StatusCode != http.StatusForbidden || len(resp.Cookies()) != 0 {
			t.Errorf("a login posted from another site (Sec-Fetch-Site %v): %s, cookies %v; want 403 and none", site, resp.Status, resp.Cookies())
		}
	}
	resp = post(good, srv.URL)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/workspaces/quickstart" {
		t.Fatalf("logging in: %s to %q, want 303 to /workspaces/quickstart", resp.Status, resp.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == auth.CookieName {
			session = ck
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteStrictMode || session.Path != "/" {
		t.Fatalf("the session cookie %v is not HttpOnly, SameSite=Strict, for /", session)
	}
	if resp, _ := get(t, c, srv.URL, "/"); resp.StatusCode != http.StatusOK {
		t.Errorf("GET / logged in: %s", resp.Status)
	}
	if resp, _ := get(t, c, srv.URL, "/login"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("GET /login logged in: %s, want 303 on", resp.Status)
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/logout", nil)
	req.Header.Set("Origin", srv.URL)
	if resp, err := c.Do(req); err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logging out: %v %v", resp, err)
	}
	if resp, _ := get(t, c, srv.URL, "/"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("GET / after logging out: %s, want 303 to /login", resp.Status)
	}
	// The token the cookie held is ended, not only forgotten by the
	// browser: a copy of the cookie kept elsewhere no longer works.
	stolen := client(t)
	u, _ := url.Parse(srv.URL)
	stolen.Jar.SetCookies(u, []*http.Cookie{{Name: auth.CookieName, Value: session.Value}})
	if resp, _ := get(t, stolen, srv.URL, "/"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("GET / with the cookie of a session logged out: %s, want 303 to /login", resp.Status)
	}
}

// Failed logins through the form are rate limited as the API's are, and
// the page says so.
func TestLoginRateLimited(t *testing.T) {
	f := newFixture(t, "0s", false)
	srv := f.serveDashboard(t)
	c := client(t)
	var last *http.Response
	var body string
	for range 8 {
		resp, err := c.PostForm(srv.URL+"/login", url.Values{"username": {"viewer"}, "password": {"not the password at all"}})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		last, body = resp, string(b)
	}
	if last.StatusCode != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" || !strings.Contains(body, "Too many failed logins") {
		t.Errorf("the 8th failed login: %s, Retry-After %q; want 429, a Retry-After and the page saying why", last.Status, last.Header.Get("Retry-After"))
	}
}

func TestAssets(t *testing.T) {
	f := newFixture(t, "0s", false)
	srv := f.serveDashboard(t)
	for path, ctype := range map[string]string{"/assets/app.js": "text/javascript", "/assets/app.css": "text/css"} {
		resp, body := get(t, client(t), srv.URL, path)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), ctype) || len(body) < 100 {
			t.Errorf("GET %s: %s %q, %d bytes", path, resp.Status, resp.Header.Get("Content-Type"), len(body))
		}
		checkHeaders(t, path, resp)
	}
	// The script shows what the server sends as text, never as HTML.
	_, js := get(t, client(t), srv.URL, "/assets/app.js")
	for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("} {
		if strings.Contains(js, bad) {
			t.Errorf("app.js uses %s", bad)
		}
	}
}

// Tags with quotes and markup stay text in every page that shows them.
func TestHostileNames(t *testing.T) {
	f := newFixture(t, "0s", true)
	srv := f.serveDashboard(t)
	sp, err := f.est.Plan(t.Context(), hostileWS, "operator", estate.PlanRequest{})
	if err != nil {
		t.Fatalf("planning the hostile workspace: %v", err)
	}
	_, run := f.applied(t, hostileWS, "operator")
	ws := url.PathEscape(hostileWS)
	operator := login(t, srv, "operator", testPassword)
	for p, showsTags := range map[string]bool{
		"/": false, "/workspaces/" + ws: false, "/workspaces/" + ws + "/plans/" + url.PathEscape(sp.ID): true,
		"/workspaces/" + ws + "/history": false, "/runs/" + url.PathEscape(run.ID): false,
	} {
		resp, body := get(t, operator, srv.URL, p)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %s", p, resp.Status)
			continue
		}
		if n := strings.Count(strings.ToLower(body), "<script"); n != 1 {
			t.Errorf("GET %s: %d <script elements, want 1 (app.js):\n%s", p, n, body)
		}
		for _, bad := range []string{"<img", `"'>`, "</td><script>", "<b title"} {
			if strings.Contains(body, bad) {
				t.Errorf("GET %s: the page holds %q unescaped", p, bad)
			}
		}
		if showsTags && (!strings.Contains(body, "&lt;/td&gt;&lt;script&gt;alert(3)") || !strings.Contains(body, "&lt;img src=x onerror=alert(4)&gt;")) {
			t.Errorf("GET %s: the hostile tags are not shown, escaped:\n%s", p, body)
		}
	}
}
