package live

import (
	"net/http"
	"sync"
	"time"

	"github.com/novacron/novacron/server/auth"
	"github.com/novacron/novacron/server/estate"
)

// Options tune a Hub; the zero value takes the defaults.
type Options struct {
	// Buffer is how many events a subscriber may fall behind before it
	// is lagged and dropped; default 256.
	Buffer int
	// PingInterval is how often a WebSocket client is pinged; default 30s.
	PingInterval time.Duration
	// WriteTimeout bounds each message written to a client, and each
	// ping; default 10s.
	WriteTimeout time.Duration
	// Reauth authenticates a client's upgrade request again (its bearer
	// token or cookie): at each ping, and at least every ReauthInterval
	// (default 15 s). The stream then filters by the principal it returns;
	// an error closes the stream with 1008 (policy violation). Nil: the
	// principal of the upgrade holds until the client goes.
	Reauth         func(*http.Request) (*auth.Principal, error)
	ReauthInterval time.Duration
}

func (o Options) withDefaults() Options {
	if o.Buffer <= 0 {
		o.Buffer = 256
	}
	if o.PingInterval <= 0 {
		o.PingInterval = 30 * time.Second
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = 10 * time.Second
	}
	if o.ReauthInterval <= 0 {
		o.ReauthInterval = 15 * time.Second
	}
	return o
}

// Hub fans events out to its subscribers. Publish never blocks: a
// subscriber whose buffer is full is dropped and marked lagged.
type Hub struct {
	o      Options
	mu     sync.Mutex
	subs   map[*Subscription]struct{}
	closed bool
	open   sync.WaitGroup // one per subscription not yet closed
}

// New returns a hub.
func New(o Options) *Hub {
	return &Hub{o: o.withDefaults(), subs: map[*Subscription]struct{}{}}
}

// Subscription is one subscriber's stream of events.
type Subscription struct {
	h      *Hub
	ch     chan estate.Event
	keep   func(estate.Event) bool
	lagged bool // set before ch is closed, by the hub
	once   sync.Once
}

// Subscribe returns a subscription to the events keep accepts (every
// event when keep is nil), or false when the hub is closed. Its owner
// must Close it; Hub.Close waits until every subscription is closed.
// Publish calls keep with the hub locked: keep must be quick, and must
// not call the hub.
func (h *Hub) Subscribe(keep func(estate.Event) bool) (*Subscription, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, false
	}
	s := &Subscription{h: h, ch: make(chan estate.Event, h.o.Buffer), keep: keep}
	h.subs[s] = struct{}{}
	h.open.Add(1)
	return s, true
}

// Events is the subscription's stream, in publishing order. It is closed
// when the subscriber lagged (see Lagged), or the hub closed, or the
// subscription was closed.
func (s *Subscription) Events() <-chan estate.Event { return s.ch }

// Lagged reports whether the stream ended because the subscriber fell
// more than the buffer behind. Call it once Events is closed.
func (s *Subscription) Lagged() bool {
	s.h.mu.Lock()
	defer s.h.mu.Unlock()
	return s.lagged
}

// Close ends the subscription; it is safe to call more than once.
func (s *Subscription) Close() {
	s.once.Do(func() {
		s.h.mu.Lock()
		s.h.drop(s)
		s.h.mu.Unlock()
		s.h.open.Done()
	})
}

// drop removes s and closes its stream; h.mu is held.
func (h *Hub) drop(s *Subscription) {
	if _, ok := h.subs[s]; ok {
		delete(h.subs, s)
		close(s.ch)
	}
}

// Publish sends ev to every subscriber that keeps it, without waiting
// for any: a subscriber whose buffer is full is dropped as lagged.
func (h *Hub) Publish(ev estate.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		if s.keep != nil && !s.keep(ev) {
			continue
		}
		select {
		case s.ch <- ev:
		default:
			s.lagged = true
			h.drop(s)
		}
	}
}

// Close ends every subscription's stream, refuses new subscribers, and
// waits until every subscription is closed by its owner (the WebSocket
// handler closes its connection with a normal close first).
func (h *Hub) Close() {
	h.mu.Lock()
	if !h.closed {
		h.closed = true
		for s := range h.subs {
			h.drop(s)
		}
	}
	h.mu.Unlock()
	h.open.Wait()
}
