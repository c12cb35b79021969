package live

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/novacron/novacron/server/auth"
	"github.com/novacron/novacron/server/estate"
)

// newHub returns a hub closed at the test's end, after its clients and
// servers (cleanups run last first).
func newHub(t *testing.T, o Options) *Hub {
	h := New(o)
	t.Cleanup(h.Close)
	return h
}

// serve serves h at /ws/status behind a stand-in for the server's
// authentication that gives every request principal p (none when nil).
func serve(t *testing.T, h *Hub, p *auth.Principal) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("GET /ws/status", h)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p != nil {
			r = r.WithContext(auth.WithPrincipal(r.Context(), p))
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func dial(t *testing.T, srv *httptest.Server, query string) *websocket.Conn {
	t.Helper()
	c, resp, err := dialRaw(srv, query)
	if err != nil {
		t.Fatalf("dial: %v (response %v)", err, status(resp))
	}
	t.Cleanup(func() { c.CloseNow() })
	return c
}

func dialRaw(srv *httptest.Server, query string) (*websocket.Conn, *http.Response, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	u := "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws/status" + query
	return websocket.Dial(ctx, u, nil)
}

func status(resp *http.Response) int {
	if resp == nil {
		return 0
	}
	return resp.StatusCode
}

// read reads one JSON message from c.
func read(t *testing.T, c *websocket.Conn) estate.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	typ, b, err := c.Read(ctx)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if typ != websocket.MessageText {
		t.Fatalf("message type %v, want text", typ)
	}
	var ev estate.Event
	if err := json.Unmarshal(b, &ev); err != nil {
		t.Fatalf("message %q is not an event: %v", b, err)
	}
	return ev
}

var (
	everyone = &auth.Principal{Name: "ops", Roles: map[string]auth.Role{"*": auth.Viewer}}
	viewerA  = &auth.Principal{Name: "ann", Roles: map[string]auth.Role{"a": auth.Viewer}}
)

func TestWebSocketStreamsEventsAsJSON(t *testing.T) {
	h := newHub(t, Options{})
	c := dial(t, serve(t, h, everyone), "")
	want := events("a", 3)
	want[2].Type, want[2].Status, want[2].Error = "run_finished", estate.RunFailed, "sim.lab: host full"
	for _, ev := range want {
		h.Publish(ev)
	}
	var got []estate.Event
	for range want {
		got = append(got, read(t, c))
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestWebSocketViewerGetsOnlyTheirWorkspaces(t *testing.T) {
	h := newHub(t, Options{})
	srv := serve(t, h, viewerA)
	c := dial(t, srv, "")
	a, b := events("a", 3), events("b", 3)
	for i := range a {
		h.Publish(b[i])
		h.Publish(a[i])
	}
	var got []estate.Event
	for range a { // events arrive in order: a b event would come before a's last
		got = append(got, read(t, c))
	}
	if d := cmp.Diff(a, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}

	if _, resp, err := dialRaw(srv, "?workspace=b"); err == nil || status(resp) != http.StatusForbidden {
		t.Errorf("?workspace=b for a viewer of a: status %d, err %v; want 403", status(resp), err)
	}
	if _, resp, err := dialRaw(serve(t, h, nil), ""); err == nil || status(resp) != http.StatusUnauthorized {
		t.Errorf("no principal: status %d, err %v; want 401", status(resp), err)
	}
}

func TestWebSocketWorkspaceParameter(t *testing.T) {
	h := newHub(t, Options{})
	c := dial(t, serve(t, h, everyone), "?workspace=b")
	a, b := events("a", 3), events("b", 3)
	for i := range a {
		h.Publish(a[i])
		h.Publish(b[i])
	}
	var got []estate.Event
	for range b {
		got = append(got, read(t, c))
	}
	if d := cmp.Diff(b, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestWebSocketRefusesAForeignOrigin(t *testing.T) {
	h := newHub(t, Options{})
	srv := serve(t, h, everyone)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	u := "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws/status"
	_, resp, err := websocket.Dial(ctx, u, &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {"https://evil.example"}}})
	if err == nil || status(resp) != http.StatusForbidden {
		t.Errorf("foreign Origin: status %d, err %v; want 403", status(resp), err)
	}
}

func TestWebSocketPings(t *testing.T) {
	h := newHub(t, Options{PingInterval: 20 * time.Millisecond})
	srv := serve(t, h, everyone)
	pinged := make(chan struct{}, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	u := "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws/status"
	c, _, err := websocket.Dial(ctx, u, &websocket.DialOptions{OnPingReceived: func(context.Context, []byte) bool {
		select {
		case pinged <- struct{}{}:
		default:
		}
		return true
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	go c.Read(ctx) // pings are handled while reading; ends with c
	select {
	case <-pinged:
	case <-ctx.Done():
		t.Fatal("no ping within 30s at a 20ms interval")
	}
}

func TestWebSocketLaggedClientIsToldAndClosed(t *testing.T) {
	// A client that does not read fills the socket's buffers, the
	// handler's write blocks, its subscription's buffer fills and the
	// hub drops it. Big events fill loopback buffers (a few MiB) quickly.
	h := newHub(t, Options{Buffer: 2, WriteTimeout: time.Minute})
	c := dial(t, serve(t, h, everyone), "")
	c.SetReadLimit(-1)
	big := strings.Repeat("x", 64<<10)
	want := events("a", 600) // 600 × 64 KiB: more than any loopback buffers
	for i := range want {
		want[i].Error = big
		h.Publish(want[i])
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	n := 0
	for ; ; n++ {
		_, b, err := c.Read(ctx)
		if err != nil {
			t.Fatalf("read after %d events: %v; want the lagged message", n, err)
		}
		if string(b) == `{"type":"lagged"}` {
			break
		}
		var ev estate.Event
		if err := json.Unmarshal(b, &ev); err != nil || ev.Done != n+1 {
			t.Fatalf("message %d: event %d (err %v); want event %d, in order", n, ev.Done, err, n+1)
		}
	}
	if n == 0 || n >= len(want) {
		t.Errorf("got %d events before lagged, want some and fewer than %d", n, len(want))
	}
	_, _, err := c.Read(ctx)
	if got := websocket.CloseStatus(err); got != websocket.StatusTryAgainLater {
		t.Errorf("close after lagged: %v (%v), want %v", got, err, websocket.StatusTryAgainLater)
	}
}

func TestCloseDisconnectsClientsNormallyAndWaits(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	h := New(Options{})
	srv := serve(t, h, everyone)
	clients := []*websocket.Conn{dial(t, srv, ""), dial(t, srv, "?workspace=a")}
	errs := make(chan error, len(clients))
	for _, c := range clients {
		go func() {
			_, _, err := c.Read(context.Background())
			errs <- err
		}()
	}
	closed := make(chan struct{})
	go func() {
		h.Close()
		close(closed)
	}()
	for range clients {
		select {
		case err := <-errs:
			if got := websocket.CloseStatus(err); got != websocket.StatusNormalClosure {
				t.Errorf("client closed with %v (%v), want a normal close", got, err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("a client was not disconnected by Close")
		}
	}
	select {
	case <-closed:
	case <-time.After(30 * time.Second):
		t.Fatal("Close did not return")
	}
	if _, resp, err := dialRaw(srv, ""); err == nil || status(resp) != http.StatusServiceUnavailable {
		t.Errorf("dial after Close: status %d, err %v; want 503", status(resp), err)
	}
	srv.Close()
	http.DefaultTransport.(*http.Transport).CloseIdleConnections()
}

func TestWebSocketClosesOnAClientDataMessage(t *testing.T) {
	h := newHub(t, Options{})
	c := dial(t, serve(t, h, everyone), "")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Write(ctx, websocket.MessageText, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	_, _, err := c.Read(ctx)
	if got := websocket.CloseStatus(err); got != websocket.StatusPolicyViolation {
		t.Errorf("close after a client message: %v (%v), want %v", got, err, websocket.StatusPolicyViolation)
	}
	// The handler is done at once: Conn.CloseRead's own Close would keep
	// it (and so Hub.Close) 15 s longer.
	closed := make(chan struct{})
	go func() { h.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Error("the handler of a connection closed for a data message lingers")
	}
}
