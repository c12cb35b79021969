package live

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/server/estate"
)

// events returns n events of workspace ws, numbered by Done.
func events(ws string, n int) []estate.Event {
	evs := make([]estate.Event, n)
	for i := range evs {
		evs[i] = estate.Event{
			Type: "change_succeeded", Time: time.Date(2026, 12, 6, 7, 0, i, 0, time.UTC),
			RunID: "run-1", Workspace: ws, Address: fmt.Sprintf("fleet.web[%d]", i), Action: "create",
			Done: i + 1, Total: n,
		}
	}
	return evs
}

// take reads n events from s.
func take(t *testing.T, s *Subscription, n int) []estate.Event {
	t.Helper()
	var got []estate.Event
	for range n {
		select {
		case ev, ok := <-s.Events():
			if !ok {
				t.Fatalf("stream ended after %d events, want %d", len(got), n)
			}
			got = append(got, ev)
		case <-time.After(30 * time.Second):
			t.Fatalf("got %d events, want %d", len(got), n)
		}
	}
	return got
}

// drain reads s until its stream ends.
func drain(s *Subscription) []estate.Event {
	var got []estate.Event
	for ev := range s.Events() {
		got = append(got, ev)
	}
	return got
}

func subscribe(t *testing.T, h *Hub, keep func(estate.Event) bool) *Subscription {
	t.Helper()
	s, ok := h.Subscribe(keep)
	if !ok {
		t.Fatal("Subscribe refused on an open hub")
	}
	return s
}

func TestHubFansOutInOrder(t *testing.T) {
	h := New(Options{Buffer: 100})
	subs := []*Subscription{subscribe(t, h, nil), subscribe(t, h, nil), subscribe(t, h, nil)}
	want := events("a", 100)
	for _, ev := range want {
		h.Publish(ev)
	}
	for i, s := range subs {
		got := take(t, s, len(want))
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("subscriber %d (-want +got):\n%s", i, d)
		}
		if s.Lagged() {
			t.Errorf("subscriber %d lagged with a buffer big enough", i)
		}
		s.Close()
	}
	h.Close()
}

func TestHubDropsALaggingSubscriberWithoutBlocking(t *testing.T) {
	const buffer = 8
	h := New(Options{Buffer: buffer})
	defer h.Close()
	slow := subscribe(t, h, nil) // never reads until the end
	defer slow.Close()
	fast := subscribe(t, h, nil)
	defer fast.Close()
	want := events("a", 10*buffer)

	var fastGot []estate.Event
	published := make(chan struct{})
	go func() {
		defer close(published)
		for _, ev := range want {
			h.Publish(ev)
			fastGot = append(fastGot, <-fast.Events())
		}
	}()
	select {
	case <-published:
	case <-time.After(30 * time.Second):
		t.Fatal("the publisher stalled behind a subscriber that does not read")
	}
	if d := cmp.Diff(want, fastGot); d != "" {
		t.Errorf("the reading subscriber (-want +got):\n%s", d)
	}
	if d := cmp.Diff(want[:buffer], drain(slow)); d != "" {
		t.Errorf("the slow subscriber gets its buffer, then its stream ends (-want +got):\n%s", d)
	}
	if !slow.Lagged() {
		t.Error("the slow subscriber is not marked lagged")
	}
	if fast.Lagged() {
		t.Error("the reading subscriber is marked lagged")
	}
}

func TestHubFilters(t *testing.T) {
	h := New(Options{})
	onlyB := subscribe(t, h, func(ev estate.Event) bool { return ev.Workspace == "b" })
	a, b := events("a", 3), events("b", 3)
	for i := range a {
		h.Publish(a[i])
		h.Publish(b[i])
	}
	// In order, so an event of a would show before b's last.
	if d := cmp.Diff(b, take(t, onlyB, len(b))); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	onlyB.Close()
	h.Close()
}

func TestHubCloseWaitsForSubscriptions(t *testing.T) {
	h := New(Options{})
	s := subscribe(t, h, nil)
	released := make(chan struct{})
	go func() {
		drain(s)
		time.Sleep(50 * time.Millisecond) // the owner's clean-up
		close(released)
		s.Close()
	}()
	h.Close()
	select {
	case <-released:
	default:
		t.Fatal("Close returned before the subscription's owner closed it")
	}
	if _, ok := h.Subscribe(nil); ok {
		t.Error("Subscribe accepted a subscriber on a closed hub")
	}
	h.Publish(events("a", 1)[0]) // no subscribers, no panic
	h.Close()                    // twice is fine
}
