package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novacron/novacron/server/api"
)

// openAPIDoc is the part of the OpenAPI document the test compares.
type openAPIDoc struct {
	OpenAPI string                                 `json:"openapi"`
	Paths   map[string]map[string]openAPIOperation `json:"paths"`
}

type openAPIOperation struct {
	Parameters []struct {
		Name string `json:"name"`
		In   string `json:"in"`
	} `json:"parameters"`
	Responses map[string]json.RawMessage `json:"responses"`
}

// recordingMux records the patterns registered on it, and registers them
// on a real mux.
type recordingMux struct {
	*http.ServeMux
	patterns []string
}

func (m *recordingMux) Handle(p string, h http.Handler) {
	m.patterns = append(m.patterns, p)
	m.ServeMux.Handle(p, h)
}

var wildcard = regexp.MustCompile(`\{([^}]+)\}`)

// TestOpenAPIMatchesRoutes holds the OpenAPI document to the mux: every
// route registered with a method is documented, every documented
// operation is served by the route of that method and path, and their
// path and query parameters have the same names.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc openAPIDoc
	if err := json.Unmarshal(api.OpenAPI(), &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi = %q, want 3.x", doc.OpenAPI)
	}
	mux := &recordingMux{ServeMux: http.NewServeMux()}
	a := api.New(api.Config{})
	a.Register(mux)

	var registered, documented []string
	for _, p := range mux.patterns {
		if m, _, ok := strings.Cut(p, " "); ok && m == strings.ToUpper(m) {
			registered = append(registered, p)
		}
	}
	for path, ops := range doc.Paths {
		for m := range ops {
			documented = append(documented, strings.ToUpper(m)+" "+path)
		}
	}
	sort.Strings(registered)
	sort.Strings(documented)
	if d := cmp.Diff(registered, documented); d != "" {
		t.Errorf("registered routes (-) and documented operations (+) differ:\n%s", d)
	}

	for _, rt := range a.Routes() {
		op, ok := doc.Paths[rt.Path][strings.ToLower(rt.Method)]
		if !ok {
			continue // reported above
		}
		checkParams(t, rt, op)
		checkServed(t, mux.ServeMux, rt)
		if len(op.Responses) == 0 {
			t.Errorf("%s %s documents no response", rt.Method, rt.Path)
		}
	}
}

// checkParams compares a route's path wildcards and query parameters
// with the ones its operation documents.
func checkParams(t *testing.T, rt api.Route, op openAPIOperation) {
	t.Helper()
	var wantPath []string
	for _, m := range wildcard.FindAllStringSubmatch(rt.Path, -1) {
		wantPath = append(wantPath, m[1])
	}
	wantQuery := slices.Clone(rt.Query)
	var gotPath, gotQuery []string
	for _, p := range op.Parameters {
		switch p.In {
		case "path":
			gotPath = append(gotPath, p.Name)
		case "query":
			gotQuery = append(gotQuery, p.Name)
		default:
			t.Errorf("%s %s: parameter %q in %q: the API takes only path and query parameters", rt.Method, rt.Path, p.Name, p.In)
		}
	}
	for _, s := range [][]string{wantPath, wantQuery, gotPath, gotQuery} {
		sort.Strings(s)
	}
	if d := cmp.Diff(wantPath, gotPath); d != "" {
		t.Errorf("%s %s: path parameters: route (-), document (+):\n%s", rt.Method, rt.Path, d)
	}
	if d := cmp.Diff(wantQuery, gotQuery); d != "" {
		t.Errorf("%s %s: query parameters: route (-), document (+):\n%s", rt.Method, rt.Path, d)
	}
}

// checkServed asks the mux which pattern a request to the documented
// path, its wildcards filled in, is routed to.
func checkServed(t *testing.T, mux *http.ServeMux, rt api.Route) {
	t.Helper()
	path := wildcard.ReplaceAllString(rt.Path, "x%3Ay")
	req := httptest.NewRequest(rt.Method, path, nil)
	if _, pattern := mux.Handler(req); pattern != rt.Method+" "+rt.Path {
		t.Errorf("%s %s is routed to %q", rt.Method, path, pattern)
	}
}
