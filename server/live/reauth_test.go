package live

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/novacron/novacron/server/auth"
	"github.com/novacron/novacron/server/estate"
)

// authEstate is a real users file with bob, operator of a and b, and a
// real auth.Service on it, serving h at /ws/status as the server does:
// the upgrade authenticated by the Service, which is also the hub's
// Reauth.
func authEstate(t *testing.T, o Options) (h *Hub, users string, dialBob func() *websocket.Conn) {
	t.Helper()
	root := t.TempDir()
	users = auth.UsersPath(root)
	const bobPW = "bob's long password"
	if err := auth.AddUser(users, "admin", "admin's long password", map[string]auth.Role{"*": auth.Admin}); err != nil {
		t.Fatal(err)
	}
	if err := auth.AddUser(users, "bob", bobPW, map[string]auth.Role{"a": auth.Operator, "b": auth.Viewer}); err != nil {
		t.Fatal(err)
	}
	svc, err := auth.Open(root, auth.Options{})
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := svc.Login(context.Background(), "bob", bobPW, "127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	o.Reauth = svc.Authenticate
	h = newHub(t, o)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := svc.Authenticate(r)
		if err != nil {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r.WithContext(auth.WithPrincipal(r.Context(), p)))
	}))
	t.Cleanup(srv.Close)
	dialBob = func() *websocket.Conn {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		u := "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws/status"
		c, resp, err := websocket.Dial(ctx, u, &websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + token}}})
		if err != nil {
			t.Fatalf("dial: %v (response %v)", err, status(resp))
		}
		t.Cleanup(func() { c.CloseNow() })
		return c
	}
	return h, users, dialBob
}

// TestWebSocketClosesWhenTheCredentialIsGone: a stream whose user is
// removed or disabled is closed with 1008 (policy violation) within the
// re-authentication interval, even when no event comes.
func TestWebSocketClosesWhenTheCredentialIsGone(t *testing.T) {
	for name, change := range map[string]func(users string) error{
		"removed":  func(users string) error { return auth.RemoveUser(users, "bob") },
		"disabled": func(users string) error { return auth.SetDisabled(users, "bob", true) },
	} {
		t.Run(name, func(t *testing.T) {
			h, users, dialBob := authEstate(t, Options{ReauthInterval: 50 * time.Millisecond})
			c := dialBob()
			h.Publish(estate.Event{Type: "run_started", Workspace: "a", RunID: "r1"})
			if ev := read(t, c); ev.RunID != "r1" {
				t.Fatalf("first event: %+v", ev)
			}
			if err := change(users); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_, _, err := c.Read(ctx)
			if got := websocket.CloseStatus(err); got != websocket.StatusPolicyViolation {
				t.Fatalf("after bob was %s the stream ended with %v (status %v), want a close with 1008 within 10 s", name, err, got)
			}
		})
	}
}

// TestWebSocketRoleChangeNarrowsTheStream: once bob loses his role on b,
// b's events stop reaching him; a's still come.
func TestWebSocketRoleChangeNarrowsTheStream(t *testing.T) {
	h, users, dialBob := authEstate(t, Options{ReauthInterval: 50 * time.Millisecond})
	c := dialBob()
	round := func(i int) (sawB bool) {
		h.Publish(estate.Event{Type: "run_started", Workspace: "b", RunID: fmt.Sprintf("b%d", i)})
		h.Publish(estate.Event{Type: "run_started", Workspace: "a", RunID: fmt.Sprintf("a%d", i)})
		for {
			ev := read(t, c)
			if ev.Workspace == "b" {
				sawB = true
			}
			if ev.RunID == fmt.Sprintf("a%d", i) {
				return sawB
			}
		}
	}
	if !round(0) {
		t.Fatal("bob, viewer of b, did not get b's event")
	}
	if err := auth.SetRole(users, "bob", "b", auth.NoRole); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	i := 1
	for ; round(i); i++ {
		if time.Now().After(deadline) {
			t.Fatal("10 s after bob lost his role on b, b's events still reach him")
		}
		time.Sleep(10 * time.Millisecond)
	}
	for j := range 3 {
		if round(i + 1 + j) {
			t.Fatal("b's events reach bob again after they stopped")
		}
	}
}
