package live

import (
	"fmt"
	"testing"

	"github.com/novacron/novacron/server/auth"
	"github.com/novacron/novacron/server/estate"
)

// BenchmarkPublish is the cost to the publisher (the executor's event
// callback) of one event for n subscribers, each filtering by a viewer's
// read permission as /ws/status does: half of them may read the event's
// workspace. The subscribers' buffers are drained, off the clock, before
// they fill, so none is dropped.
func BenchmarkPublish(b *testing.B) {
	const buffer = 256
	for _, n := range []int{1, 10, 100, 1000} {
		b.Run(fmt.Sprintf("subscribers=%d", n), func(b *testing.B) {
			h := New(Options{Buffer: buffer})
			subs := make([]*Subscription, n)
			for i := range subs {
				p := &auth.Principal{Roles: map[string]auth.Role{[]string{"a", "b"}[i%2]: auth.Viewer}}
				subs[i], _ = h.Subscribe(func(ev estate.Event) bool { return p.Can(auth.Read, ev.Workspace) })
			}
			ev := events("a", 1)[0]
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if i%buffer == buffer-1 {
					b.StopTimer()
					for _, s := range subs {
						for len(s.ch) > 0 {
							<-s.ch
						}
					}
					b.StartTimer()
				}
				h.Publish(ev)
			}
			b.StopTimer()
			for _, s := range subs {
				if s.Lagged() {
					b.Fatal("a subscriber lagged")
				}
				s.Close()
			}
			h.Close()
		})
	}
}
