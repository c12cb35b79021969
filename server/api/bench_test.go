package api_test

import (
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/novacron/novacron/server/auth"
	"github.com/novacron/novacron/server/estate"
)

// The load: benchClients clients listing a workspace of benchVMs VMs.
const (
	benchVMs     = 10000
	benchClients = 200
	benchPage    = 100
)

// benchSpec is one fleet of benchVMs VMs on a simulated cluster large
// enough for them, without latency.
var benchSpec = fmt.Sprintf(`
provider "sim" "big" {
  hosts          = 100
  host_cpu       = 256
  host_memory_gb = 1024
  latency        = "0s"
}
template "base" {
  sim { image = "base" }
}
fleet "app" {
  provider  = provider.sim.big
  count     = %d
  template  = template.base
  cpu       = 1
  memory_gb = 1
  tags      = { tier = "app" }
}
`, benchVMs)

// BenchmarkListVMs200Clients: 200 clients at once list the VMs of a
// 10,000-VM workspace page by page (GET /api/v1/vms?limit=100&offset=…,
// each with its bearer token) over loopback, for -benchtime (make bench
// gives 30s). Each op is one request; it reports the latency's p50 and
// p99 and the requests that failed (any status but 200), which must be
// none.
//
//	go test -run '^$' -bench BenchmarkListVMs200Clients -benchtime=30s ./server/api
func BenchmarkListVMs200Clients(b *testing.B) {
	e := benchEnv(b)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchClients, MaxConnsPerHost: benchClients}}
	defer client.CloseIdleConnections()
	work := make(chan int)
	lat := make([][]time.Duration, benchClients)
	var errs atomic.Int64
	var wg sync.WaitGroup
	for c := range benchClients {
		wg.Go(func() {
			for i := range work {
				d, err := e.listPage(client, (i*benchPage)%benchVMs)
				if err != nil {
					if errs.Add(1) == 1 {
						b.Error(err)
					}
					continue
				}
				lat[c] = append(lat[c], d)
			}
		})
	}
	start := time.Now()
	n := 0
	for b.Loop() {
		work <- n
		n++
	}
	close(work)
	wg.Wait()
	elapsed := time.Since(start)
	all := slices.Concat(lat...)
	slices.Sort(all)
	if len(all) > 0 {
		b.ReportMetric(ms(all[len(all)/2]), "p50-ms")
		b.ReportMetric(ms(all[len(all)*99/100]), "p99-ms")
	}
	b.ReportMetric(float64(errs.Load()), "errors")
	b.ReportMetric(float64(n)/elapsed.Seconds(), "req/s")
	if errs.Load() > 0 {
		b.Errorf("%d of %d requests failed", errs.Load(), n)
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// listPage lists one page of the big workspace's VMs and returns how
// long the whole answer took.
func (e *testEnv) listPage(client *http.Client, offset int) (time.Duration, error) {
	req, err := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/vms?workspace=big&limit=%d&offset=%d", e.url, benchPage, offset), nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+e.tokens["viewer"])
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	d := time.Since(start)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: status %d", req.URL.Path, resp.StatusCode)
	}
	return d, err
}

// benchEnv serves an estate with the workspace "big" of benchSpec,
// applied through the API, and checks that it lists benchVMs VMs.
func benchEnv(b *testing.B) *testEnv {
	b.Helper()
	root := b.TempDir()
	writeFile(b, filepath.Join(root, "big", "main.nova.hcl"), benchSpec)
	writeFile(b, filepath.Join(root, "apivms", "main.nova.hcl"), apiSpec)
	for name, roles := range map[string]map[string]auth.Role{"admin": {"*": auth.Admin}, "viewer": {"big": auth.Viewer}} {
		if err := auth.AddUser(auth.UsersPath(root), name, testPassword, roles); err != nil {
			b.Fatal(err)
		}
	}
	e := serveEnv(b, root, []string{"admin", "viewer"})
	var sp estate.SavedPlan
	e.do(b, "admin", "POST", "/api/v1/workspaces/big/plans", "").want(b, 201).decode(b, &sp)
	var run estate.Run
	e.do(b, "admin", "POST", "/api/v1/workspaces/big/plans/"+sp.ID+"/apply", `{"digest":"`+sp.Digest+`"}`).want(b, 202).decode(b, &run)
	e.waitRun(b, "admin", run)
	var page struct{ Total int }
	e.do(b, "viewer", "GET", "/api/v1/vms?workspace=big&limit=1", "").want(b, 200).decode(b, &page)
	if page.Total != benchVMs {
		b.Fatalf("the workspace lists %d VMs, want %d", page.Total, benchVMs)
	}
	return e
}
