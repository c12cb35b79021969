package auth

import (
	"fmt"
	"math"
	"net"
	"net/netip"
	"slices"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// LimitedError is a login refused because too many failed before it
// (see loginLimits): the API answers 429 with Retry-After.
type LimitedError struct {
	RetryAfter time.Duration
}

func (e *LimitedError) Error() string {
	return fmt.Sprintf("too many failed logins: try again in %s", e.RetryAfter.Round(time.Second))
}

// RetryAfterSeconds is the Retry-After header's value: whole seconds,
// at least 1.
func (e *LimitedError) RetryAfterSeconds() int {
	return int(math.Max(1, math.Ceil(e.RetryAfter.Seconds())))
}

// limiter counts failed logins by key (a user name or a client): each key
// may fail burst times, then once every every. Only failures are
// counted. It keeps at most max keys: past that it forgets those that
// have recovered, then the ones unused longest.
type limiter struct {
	every time.Duration
	burst int
	max   int

	mu      sync.Mutex
	entries map[string]*limitEntry
}

type limitEntry struct {
	lim  *rate.Limiter
	last time.Time
}

func newLimiter(every time.Duration, burst, max int) *limiter {
	return &limiter{every: every, burst: burst, max: max, entries: map[string]*limitEntry{}}
}

// retryAfter returns how long key must wait before its next attempt; 0
// when it may try now.
func (l *limiter) retryAfter(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.entries[key]
	if e == nil {
		return 0
	}
	tokens := e.lim.TokensAt(now)
	if tokens >= 1 {
		return 0
	}
	return time.Duration((1 - tokens) * float64(l.every))
}

// failed counts a failed attempt of key.
func (l *limiter) failed(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.entries[key]
	if e == nil {
		if len(l.entries) >= l.max {
			l.evict(now)
		}
		e = &limitEntry{lim: rate.NewLimiter(rate.Every(l.every), l.burst)}
		l.entries[key] = e
	}
	e.lim.AllowN(now, 1)
	e.last = now
}

// evict forgets the keys whose limiter is full again (as good as new);
// if that leaves more than 7/8 of max, it forgets the least recently
// used until it does not, so evicting is rare.
func (l *limiter) evict(now time.Time) {
	for k, e := range l.entries {
		if e.lim.TokensAt(now) >= float64(l.burst) {
			delete(l.entries, k)
		}
	}
	excess := len(l.entries) - l.max*7/8
	if excess <= 0 {
		return
	}
	keys := make([]string, 0, len(l.entries))
	for k := range l.entries {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return l.entries[a].last.Compare(l.entries[b].last) })
	for _, k := range keys[:excess] {
		delete(l.entries, k)
	}
}

// clear forgets key: its next failure starts afresh.
func (l *limiter) clear(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.entries, key)
}

// size is how many keys the limiter holds.
func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.entries)
}

// loginLimits are the three limits on failed logins (OWASP's
// authentication cheat sheet: lock out by pair, slow down the rest):
// per user name and client address, tight; per client address across
// user names, looser, so that spraying passwords is slowed without a few
// typos behind a shared proxy holding a whole office back; per user name
// across addresses, loosest, and not applied to an address the user
// logged in from before, so that an attacker elsewhere slows new
// addresses but never holds the user back where they usually are.
type loginLimits struct {
	pair, client, user *limiter
	known              *seen // pairs that logged in
}

func newLoginLimits(o *Options) *loginLimits {
	return &loginLimits{
		pair:   newLimiter(o.LoginBackoff, o.LoginFailures, o.MaxLimited),
		client: newLimiter(o.ClientWindow/time.Duration(o.ClientFailures), o.ClientFailures, o.MaxLimited),
		user:   newLimiter(o.UserWindow/time.Duration(o.UserFailures), o.UserFailures, o.MaxLimited),
		known:  &seen{max: o.MaxLimited, at: map[string]time.Time{}},
	}
}

// loginKeys are a login attempt's keys in each limit.
type loginKeys struct{ pair, client, user string }

func keysOf(user, client string) loginKeys {
	u, c := truncate(user, 256), clientKey(client)
	return loginKeys{pair: u + "\x00" + c, client: c, user: u}
}

// retryAfter is how long the attempt must wait; 0 when it may try now.
func (l *loginLimits) retryAfter(k loginKeys, now time.Time) time.Duration {
	d := max(l.pair.retryAfter(k.pair, now), l.client.retryAfter(k.client, now))
	if !l.known.has(k.pair) {
		d = max(d, l.user.retryAfter(k.user, now))
	}
	return d
}

func (l *loginLimits) failed(k loginKeys, now time.Time) {
	l.pair.failed(k.pair, now)
	l.client.failed(k.client, now)
	l.user.failed(k.user, now)
}

// succeeded clears the pair and remembers it logged in.
func (l *loginLimits) succeeded(k loginKeys, now time.Time) {
	l.pair.clear(k.pair)
	l.known.add(k.pair, now)
}

// seen is a bounded set of keys: past max, it forgets the eighth seen
// longest ago.
type seen struct {
	max int
	mu  sync.Mutex
	at  map[string]time.Time
}

func (s *seen) add(key string, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.at[key]; !ok && len(s.at) >= s.max {
		keys := make([]string, 0, len(s.at))
		for k := range s.at {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b string) int { return s.at[a].Compare(s.at[b]) })
		for _, k := range keys[:max(1, len(keys)/8)] {
			delete(s.at, k)
		}
	}
	s.at[key] = now
}

func (s *seen) has(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.at[key]
	return ok
}

// clientKey is the limiter's key for a client address: its IP without
// the port (a new connection has a new port), an IPv6 address by its /64
// (one host holds a whole /64).
func clientKey(client string) string {
	if host, _, err := net.SplitHostPort(client); err == nil {
		client = host
	}
	addr, err := netip.ParseAddr(client)
	if err != nil {
		return "client:" + truncate(client, 256)
	}
	addr = addr.Unmap()
	if addr.Is6() {
		p, _ := addr.Prefix(64)
		return "client:" + p.String()
	}
	return "client:" + addr.String()
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
