package live

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/novacron/novacron/server/auth"
	"github.com/novacron/novacron/server/estate"
)

// lagged is the last message a lagged client gets before it is closed.
var lagged = []byte(`{"type":"lagged"}`)

// ServeHTTP serves /ws/status: it upgrades the request to a WebSocket
// (coder/websocket's default Origin check applies) and streams the
// events of the workspaces the request's principal may read, each as a
// JSON text message; ?workspace=NAME streams that workspace's only. The
// caller authenticates: a request without a principal (auth.From) is a
// 401, a workspace it may not read a 403.
func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := auth.From(r.Context())
	if p == nil {
		http.Error(w, http.StatusText(http.StatusUnauthorized), http.StatusUnauthorized)
		return
	}
	only := r.URL.Query().Get("workspace")
	if only != "" && !p.Can(auth.Read, only) {
		http.Error(w, http.StatusText(http.StatusForbidden), http.StatusForbidden)
		return
	}
	cl := &client{r: r, only: only}
	cl.p.Store(p)
	sub, ok := h.Subscribe(func(ev estate.Event) bool {
		return (only == "" || ev.Workspace == only) && cl.p.Load().Can(auth.Read, ev.Workspace)
	})
	if !ok {
		http.Error(w, http.StatusText(http.StatusServiceUnavailable), http.StatusServiceUnavailable)
		return
	}
	defer sub.Close()
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return // Accept wrote the response
	}
	h.stream(c, sub, cl)
}

// client is a stream's upgrade request and its principal, which
// reauth refreshes (the hub's filter reads it as events are published).
type client struct {
	r    *http.Request
	only string
	p    atomic.Pointer[auth.Principal]
}

// reauth authenticates the client's request again with Options.Reauth
// and keeps the principal: false, with c closed with 1008 (policy
// violation), when the credential no longer works (the user removed or
// disabled, the token revoked, logged out or expired) or no longer reads
// the ?workspace= the client asked for.
func (h *Hub) reauth(c *websocket.Conn, cl *client) bool {
	if h.o.Reauth == nil {
		return true
	}
	p, err := h.o.Reauth(cl.r)
	if err == nil && cl.only != "" && !p.Can(auth.Read, cl.only) {
		err = errors.New("no longer reads the workspace")
	}
	if err != nil {
		c.Close(websocket.StatusPolicyViolation, "credential no longer valid")
		return false
	}
	cl.p.Store(p)
	return true
}

// stream writes sub's events to c until the stream ends or c fails, then
// closes c: normally when the hub closed, with a lagged message first
// when the client fell behind, with 1008 when re-authenticating the
// client (at each ping and every ReauthInterval) fails.
func (h *Hub) stream(c *websocket.Conn, sub *Subscription, cl *client) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	read := make(chan struct{})
	go func() {
		defer close(read)
		defer cancel()
		refuseData(ctx, c)
	}()
	defer func() {
		c.CloseNow() // ends refuseData's read if nothing else did
		<-read
	}()
	ping := time.NewTicker(h.o.PingInterval)
	defer ping.Stop()
	again := time.NewTicker(h.o.ReauthInterval)
	defer again.Stop()
	for {
		select {
		case ev, ok := <-sub.Events():
			if !ok {
				h.end(c, sub.Lagged())
				return
			}
			if h.send(ctx, c, ev) != nil {
				return
			}
		case <-ping.C:
			if !h.reauth(c, cl) || h.ping(ctx, c) != nil {
				return
			}
		case <-again.C:
			if !h.reauth(c, cl) {
				return
			}
		case <-ctx.Done(): // the client went away, or broke the protocol
			return
		}
	}
}

// refuseData reads from c until it fails: the client sends nothing but
// pongs and the close handshake, which reading handles. A data message
// closes c with 1008 (policy violation). It is Conn.CloseRead without
// its wait: Close, called from CloseRead's own goroutine, waits 15 s for
// that goroutine to end (coder/websocket v1.8.15).
func refuseData(ctx context.Context, c *websocket.Conn) {
	if _, _, err := c.Reader(ctx); err == nil {
		c.Close(websocket.StatusPolicyViolation, "unexpected data message")
	}
}

func (h *Hub) send(ctx context.Context, c *websocket.Conn, ev estate.Event) error {
	b, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	return h.write(ctx, c, b)
}

func (h *Hub) write(ctx context.Context, c *websocket.Conn, b []byte) error {
	ctx, cancel := context.WithTimeout(ctx, h.o.WriteTimeout)
	defer cancel()
	return c.Write(ctx, websocket.MessageText, b)
}

func (h *Hub) ping(ctx context.Context, c *websocket.Conn) error {
	ctx, cancel := context.WithTimeout(ctx, h.o.WriteTimeout)
	defer cancel()
	return c.Ping(ctx)
}

// end closes c after its stream ended: a lagged client is told so and
// closed with 1013 (try again later), others with a normal close.
func (h *Hub) end(c *websocket.Conn, wasLagged bool) {
	if !wasLagged {
		c.Close(websocket.StatusNormalClosure, "server shutting down")
		return
	}
	if h.write(context.Background(), c, lagged) == nil {
		c.Close(websocket.StatusTryAgainLater, "lagged")
	}
}
