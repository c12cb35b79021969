package dashboard_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/novacron/novacron/server"
	"github.com/novacron/novacron/server/estate"
)

// chromiumPath is the browser the test drives: $NOVA_CHROMIUM, else
// Debian's /usr/bin/chromium. A missing browser fails the test, naming
// what installs it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	path := os.Getenv("NOVA_CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	if fi, err := os.Stat(path); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		t.Fatalf("the dashboard's browser test needs Chromium at %s (set NOVA_CHROMIUM to use another): run scripts/chromium-up.sh, which installs Debian's chromium package", path)
	}
	return path
}

// artifactDir is where the test leaves its screenshots: under
// $NOVA_TEST_ARTIFACTS when set (CI keeps it), else in a temporary folder.
func artifactDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("NOVA_TEST_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	dir = filepath.Join(dir, "dashboard")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// serveAll serves the whole server as `nova-plan serve` does
// (server.Open: the estate, the users, the audit log, the API, /ws/status,
// the metrics and the dashboard) over a copy of examples/quickstart whose
// sim provider takes latency per call.
func serveAll(t *testing.T, latency string) (*fixture, *httptest.Server) {
	t.Helper()
	f := &fixture{root: t.TempDir()}
	writeQuickstart(t, filepath.Join(f.root, "quickstart"), latency)
	f.addUsers(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	inst, err := server.Open(ctx, f.root, server.Options{LockTimeout: time.Minute})
	if err != nil {
		t.Fatalf("opening the server over %s: %v", f.root, err)
	}
	t.Cleanup(func() {
		if err := inst.Close(); err != nil {
			t.Errorf("closing the server: %v", err)
		}
	})
	f.est = inst.Estate
	srv := httptest.NewServer(inst.Handler)
	t.Cleanup(srv.Close)
	return f, srv
}

// browser starts headless Chromium with the flags this machine's closed
// network needs, and a fresh profile; it collects what the pages write
// to the console.
func browser(t *testing.T, ctx context.Context) (context.Context, *consoleLog) {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1000),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	cl := &consoleLog{}
	if err := chromedp.Listen(bctx, cl.add); err != nil {
		t.Fatalf("starting %s: %v", chromiumPath(t), err)
	}
	return bctx, cl
}

// consoleLog keeps the errors and warnings pages wrote to the console:
// exceptions, and the browser's own, such as a Content-Security-Policy
// violation.
type consoleLog struct {
	mu   sync.Mutex
	msgs []string
}

func (c *consoleLog) add(ev any) {
	var m string
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		m = "exception: " + ev.ExceptionDetails.Text
		if ev.ExceptionDetails.Exception != nil {
			m += " " + ev.ExceptionDetails.Exception.Description
		}
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError {
			m = "console.error"
		}
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError || ev.Entry.Level == log.EntryLevelWarning {
			m = string(ev.Entry.Source) + ": " + ev.Entry.Text
		}
	}
	if m != "" {
		c.mu.Lock()
		c.msgs = append(c.msgs, m)
		c.mu.Unlock()
	}
}

func (c *consoleLog) all() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.msgs...)
}

// progress is the apply progress the plan page shows.
type progress struct {
	Value, Max int
	Status     string
	RunID      string
	Finished   bool
	Log        []int // the done counts of the events listed, in order
	Sources    []string
}

const readProgress = `(() => {
  const bar = document.getElementById("live-progress"), live = document.getElementById("live");
  const items = Array.from(document.querySelectorAll("#live-log li"));
  return {Value: bar.value, Max: bar.max, Status: document.getElementById("live-status").textContent,
    RunID: live.dataset.runId || "", Finished: live.dataset.finished === "true",
    Log: items.map(li => Number(li.dataset.done)), Sources: items.map(li => li.dataset.source)};
})()`

// The dashboard in a real browser: log in, see the quickstart's fleets,
// plan, apply, and watch the apply's progress arrive from /ws/status
// while the run is still going.
func TestBrowser(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	// 500 ms per driver call: the five VMs of the quickstart are made in
	// two rounds (db-01, then the web fleet at once), slow enough for the
	// page to be seen between them.
	f, srv := serveAll(t, "500ms")
	bctx, console := browser(t, ctx)
	artifacts := artifactDir(t)
	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(bctx, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, actions...); err != nil {
			shot(t, bctx, artifacts, "failed-"+name)
			t.Fatalf("%s: %v\nconsole: %q", name, err, console.all())
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("reading %s: %v", sel, err)
		}
		return s
	}

	step("log in",
		chromedp.Navigate(srv.URL+"/workspaces/quickstart"),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "operator"),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
		chromedp.Click(chromedp.ID("login-button")),
		chromedp.WaitVisible(chromedp.ID("plan-button")),
	)
	fleets := text("table.fleets")
	for _, want := range []string{"fleet.web", "vm.db-01", "sim.lab"} {
		if !strings.Contains(fleets, want) {
			t.Errorf("the workspace page's fleets lack %q:\n%s", want, fleets)
		}
	}

	step("plan",
		chromedp.Click(chromedp.ID("plan-button")),
		chromedp.WaitVisible(chromedp.ID("apply-button")),
	)
	changes := text("table.changes")
	for _, want := range []string{"vm.db-01", "fleet.web[0]", "fleet.web[3]", "create"} {
		if !strings.Contains(changes, want) {
			t.Errorf("the plan page's changes lack %q:\n%s", want, changes)
		}
	}
	shot(t, bctx, artifacts, "plan")

	step("apply", chromedp.Click(chromedp.ID("apply-button")))
	final, live := watch(t, ctx, bctx, f)
	if final.Status != "succeeded" || final.Value != final.Max || final.Max != 5 {
		t.Errorf("the apply ended showing %d/%d, %q; want 5/5, succeeded", final.Value, final.Max, final.Status)
	}
	if len(live) == 0 {
		t.Errorf("the page showed no progress while the run was going (final log %v)", final.Log)
	}
	between := 0
	for i, d := range final.Log {
		if i > 0 && d < final.Log[i-1] {
			t.Errorf("the done counts listed went down: %v", final.Log)
		}
		if d > 0 && d < final.Max {
			between++
		}
	}
	if between == 0 {
		t.Errorf("the page listed no event between the first and the last change: %v", final.Log)
	}
	for i, s := range final.Sources {
		if s != "ws" {
			t.Errorf("progress entry %d came from %q, not the WebSocket", i, s)
		}
	}
	if statuses := text("table.changes tbody"); strings.Count(statuses, "done") != 5 {
		t.Errorf("the changes' statuses are not all done:\n%s", statuses)
	}
	t.Logf("progress seen while the run was going: %v; events listed (done counts): %v", live, final.Log)
	shot(t, bctx, artifacts, "applied")

	step("overview", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("section.provider")))
	overview := text("main")
	for _, want := range []string{"fleet.web", "vm.db-01", "db-01", "web-0", "web-3", "hv-01", "running", "5 VMs"} {
		if !strings.Contains(overview, want) {
			t.Errorf("the overview lacks %q", want)
		}
	}
	shot(t, bctx, artifacts, "overview")

	step("workspace", chromedp.Navigate(srv.URL+"/workspaces/quickstart"), chromedp.WaitVisible(chromedp.CSS("table.vms")))
	if runs := text("main"); !strings.Contains(runs, "succeeded") || !strings.Contains(runs, "operator") || !strings.Contains(runs, "web-2") {
		t.Errorf("the workspace page lacks the run by operator that succeeded, or the VM web-2:\n%s", runs)
	}
	shot(t, bctx, artifacts, "workspace")

	// A run started elsewhere (two more web VMs), followed on its page.
	sp, err := f.est.Plan(ctx, "quickstart", "operator", estate.PlanRequest{Vars: map[string]string{"web_count": "6"}})
	if err != nil {
		t.Fatal(err)
	}
	run, err := f.est.Apply(ctx, "quickstart", sp.ID, sp.Digest, "operator")
	if err != nil {
		t.Fatal(err)
	}
	step("run page", chromedp.Navigate(srv.URL+"/runs/"+run.ID), chromedp.WaitVisible(chromedp.ID("live")))
	if final, _ := watch(t, ctx, bctx, f); final.Status != "succeeded" {
		t.Errorf("the run page of a run in progress ended showing %q, want succeeded", final.Status)
	}
	if msgs := console.all(); len(msgs) > 0 {
		t.Errorf("the pages wrote errors to the console (a CSP violation among them?):\n%s", strings.Join(msgs, "\n"))
	}
}

// watch polls the plan page's progress until the apply is finished, and
// returns the last state and the done counts it showed at moments when
// the estate said the run was not finished yet: progress that came live.
func watch(t *testing.T, ctx, bctx context.Context, f *fixture) (progress, []int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var live []int
	for {
		if ctx.Err() != nil {
			t.Fatalf("the apply did not finish in the browser within a minute (it showed %v while the run went on)", live)
		}
		rctx, rcancel := context.WithTimeout(bctx, 10*time.Second)
		p, err := chromedp.Run(rctx, chromedp.Evaluate[progress](readProgress))
		rcancel()
		if err != nil {
			t.Fatalf("reading the progress: %v", err)
		}
		if p.Finished {
			return p, live
		}
		if p.RunID != "" && p.Value > 0 && p.Value < p.Max {
			run, err := f.est.GetRun(ctx, p.RunID, 0)
			if err != nil {
				t.Fatalf("run %s: %v", p.RunID, err)
			}
			// The run is still going now, so it was when the page showed p.
			if run.Finished == nil && (len(live) == 0 || live[len(live)-1] != p.Value) {
				live = append(live, p.Value)
			}
		}
		time.Sleep(40 * time.Millisecond)
	}
}

// shot saves a screenshot of the whole page as NAME.png in dir.
func shot(t *testing.T, bctx context.Context, dir, name string) {
	t.Helper()
	sctx, cancel := context.WithTimeout(bctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(dir, fmt.Sprintf("%s.png", name))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}
