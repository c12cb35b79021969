package metrics

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

type ctxKey struct{}

// authenticate stands in for the server's authentication: it passes the
// mux a copy of the request (r.WithContext), and refuses requests without
// a bearer token before any route is chosen.
func authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, "ann")))
	})
}

func routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/vms/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") == "missing" {
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		w.Write([]byte("{}"))
	})
	mux.HandleFunc("POST /api/v1/vms/{id}/start", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusAccepted)
	})
	mux.HandleFunc("GET /ws/status", func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		c.Write(r.Context(), websocket.MessageText, []byte(`{"type":"run_started"}`))
		c.Close(websocket.StatusNormalClosure, "")
	})
	return mux
}

func do(t *testing.T, srv *httptest.Server, method, path string, token bool) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token {
		req.Header.Set("Authorization", "Bearer x")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

const requestsHead = `
# HELP nova_http_requests_total HTTP requests by route pattern and status code.
# TYPE nova_http_requests_total counter
`

func TestMiddlewareLabelsRequestsByRoutePattern(t *testing.T) {
	for _, tc := range []struct {
		name  string
		build func(m *Metrics) http.Handler
	}{
		// The mux itself under Middleware: r.Pattern is set on its request.
		{"mux", func(m *Metrics) http.Handler { return m.Middleware(routes()) }},
		// Authentication between them copies the request; Routes carries
		// the pattern back.
		{"behind authentication", func(m *Metrics) http.Handler {
			return m.Middleware(authenticate(Routes(routes())))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := New()
			srv := httptest.NewServer(tc.build(m))
			defer srv.Close()
			do(t, srv, "GET", "/api/v1/vms/abc", true)
			do(t, srv, "GET", "/api/v1/vms/quickstart:fleet.web%5B0%5D", true)
			do(t, srv, "GET", "/api/v1/vms/missing", true)
			do(t, srv, "POST", "/api/v1/vms/abc/start", true)
			do(t, srv, "GET", "/no/such/route", true)
			want := requestsHead + `
nova_http_requests_total{code="200",route="GET /api/v1/vms/{id}"} 2
nova_http_requests_total{code="202",route="POST /api/v1/vms/{id}/start"} 1
nova_http_requests_total{code="404",route="GET /api/v1/vms/{id}"} 1
nova_http_requests_total{code="404",route="none"} 1
`
			if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), "nova_http_requests_total"); err != nil {
				t.Error(err)
			}
			wantLines(t, scrape(t, m),
				`nova_http_request_duration_seconds_count{route="GET /api/v1/vms/{id}"} 3`,
				`nova_http_request_duration_seconds_count{route="POST /api/v1/vms/{id}/start"} 1`,
				`nova_http_request_duration_seconds_count{route="none"} 1`,
			)
		})
	}
}

func TestMiddlewareCountsRefusalsBeforeRouting(t *testing.T) {
	m := New()
	srv := httptest.NewServer(m.Middleware(authenticate(Routes(routes()))))
	defer srv.Close()
	do(t, srv, "GET", "/api/v1/vms/abc", false)
	want := requestsHead + `
nova_http_requests_total{code="401",route="none"} 1
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), "nova_http_requests_total"); err != nil {
		t.Error(err)
	}
}

func TestMiddlewareLetsAWebSocketUpgrade(t *testing.T) {
	m := New()
	srv := httptest.NewServer(m.Middleware(authenticate(Routes(routes()))))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/ws/status",
		&websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer x"}}})
	if err != nil {
		t.Fatalf("the upgrade through Middleware: %v", err)
	}
	defer c.CloseNow()
	if _, b, err := c.Read(ctx); err != nil || string(b) != `{"type":"run_started"}` {
		t.Fatalf("read %q, %v", b, err)
	}
	_, _, err = c.Read(ctx)
	if websocket.CloseStatus(err) != websocket.StatusNormalClosure {
		t.Fatalf("want a normal close, got %v", err)
	}
	// The handler returns after its close handshake; the count follows.
	want := requestsHead + `
nova_http_requests_total{code="101",route="GET /ws/status"} 1
`
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), "nova_http_requests_total")
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
