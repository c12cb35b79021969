package dashboard_test

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/novacron/novacron/server/estate"
)

// BenchmarkOverview10k renders the overview of a workspace of 10,000
// VMs, through HTTP: every VM read from the listing and counted, the
// first 50 listed.
//
//	go test -run '^$' -bench Overview10k -benchtime 20x ./server/dashboard
func BenchmarkOverview10k(b *testing.B) {
	const web = 9999
	f := newFixtureWith(b, "0s", false, estate.Options{LockTimeout: 5 * time.Minute}, func(root string) {
		setWebCount(b, filepath.Join(root, "quickstart"), web)
	})
	f.applied(b, "quickstart", "operator")
	srv := f.serveDashboard(b)
	c := login(b, srv, "viewer", testPassword)
	b.ResetTimer()
	for b.Loop() {
		resp, body := get(b, c, srv.URL, "/")
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `<span class="big">10000</span>`) {
			b.Fatalf("GET /: %s, not 10000 VMs", resp.Status)
		}
	}
}
