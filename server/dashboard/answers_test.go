package dashboard_test

import (
	"net/http"
	"net/url"
	"testing"
)

// TestAnswersAgreeWithTheAPI: the pages answer as the API's routes do —
// a run of a workspace the user may not read is as absent as no run at
// all (404, the same page), and a filter the page does not take, or a
// bad value of one it does, is a 400.
func TestAnswersAgreeWithTheAPI(t *testing.T) {
	f := newFixture(t, "0s", true)
	_, hidden := f.applied(t, hostileWS, "operator")
	_, own := f.applied(t, "quickstart", "operator")
	srv := f.serveDashboard(t)
	narrow := login(t, srv, "narrow", testPassword)
	_, noRun := get(t, narrow, srv.URL, "/runs/no-such-run")
	for _, c := range []struct {
		name, path string
		code       int
	}{
		{"own run", "/runs/" + url.PathEscape(own.ID), http.StatusOK},
		{"run of an unreadable workspace", "/runs/" + url.PathEscape(hidden.ID), http.StatusNotFound},
		{"no such run", "/runs/no-such-run", http.StatusNotFound},
		{"filters", "/workspaces/quickstart?status=running&fleet=fleet.web&provider=sim.lab&host=hv-01&offset=0", http.StatusOK},
		{"unknown filter", "/workspaces/quickstart?power=bogus", http.StatusBadRequest},
		{"bad power state", "/workspaces/quickstart?status=bogus", http.StatusBadRequest},
		{"repeated filter", "/workspaces/quickstart?status=running&status=stopped", http.StatusBadRequest},
		{"negative offset", "/workspaces/quickstart?offset=-1", http.StatusBadRequest},
		{"offset not a number", "/workspaces/quickstart?offset=x", http.StatusBadRequest},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp, body := get(t, narrow, srv.URL, c.path)
			if resp.StatusCode != c.code {
				t.Fatalf("GET %s: %s, want %d", c.path, resp.Status, c.code)
			}
			if c.name == "run of an unreadable workspace" && body != noRun {
				t.Errorf("GET %s differs from the page of no such run:\n%s\nwant\n%s", c.path, body, noRun)
			}
		})
	}
}
