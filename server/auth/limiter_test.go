package auth

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestLoginRateLimit(t *testing.T) {
	s, _, c := newEstate(t, Options{LoginFailures: 5, LoginBackoff: 30 * time.Second})
	ctx := context.Background()
	for i := range 5 {
		// from different clients, so only the user name's limit counts
		_, _, err := s.Login(ctx, "bob", "wrong password!", fmt.Sprintf("198.51.100.%d:4000", i))
		if !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("failure %d: %v, want ErrBadCredentials", i+1, err)
		}
	}
	_, _, err := s.Login(ctx, "bob", bobPassword, "198.51.100.99:4000")
	var lim *LimitedError
	if !errors.As(err, &lim) {
		t.Fatalf("sixth attempt, with the right password: %v, want *LimitedError", err)
	}
	if lim.RetryAfter <= 0 || lim.RetryAfter > 30*time.Second || lim.RetryAfterSeconds() != 30 {
		t.Errorf("RetryAfter = %v (%d s), want 30 s", lim.RetryAfter, lim.RetryAfterSeconds())
	}
	// Another user, from a client of its own, is not held back.
	login(t, s, "alice", alicePassword)

	c.advance(30 * time.Second)
	if _, _, err := s.Login(ctx, "bob", bobPassword, "198.51.100.99:4000"); err != nil {
		t.Errorf("after the back-off: %v", err)
	}
}

func TestLoginRateLimitPerClient(t *testing.T) {
	s, _, _ := newEstate(t, Options{LoginFailures: 5})
	ctx := context.Background()
	for i := range 5 {
		// different user names (one unknown), one client: only its limit counts
		s.Login(ctx, fmt.Sprintf("nobody%d", i), "wrong password!", fmt.Sprintf("203.0.113.7:%d", 1000+i))
	}
	var lim *LimitedError
	if _, _, err := s.Login(ctx, "alice", alicePassword, "203.0.113.7:2000"); !errors.As(err, &lim) {
		t.Fatalf("from the same address on a new port: %v, want *LimitedError", err)
	}
	login(t, s, "alice", alicePassword) // from another address
	for i := range 5 {
		s.Login(ctx, fmt.Sprintf("n%d", i), "wrong password!", fmt.Sprintf("[2001:db8::%d]:443", i+1))
	}
	if _, _, err := s.Login(ctx, "alice", alicePassword, "[2001:db8::ffff]:443"); !errors.As(err, &lim) {
		t.Errorf("from the same IPv6 /64: %v, want *LimitedError", err)
	}
}

func TestLimiterEvicts(t *testing.T) {
	l := newLimiter(time.Second, 5, 100)
	now := time.Unix(1_000_000, 0)
	// An entry that is limited now, made first.
	for range 5 {
		l.failed("user:victim", now)
	}
	for i := range 1000 {
		l.failed(fmt.Sprintf("user:u%d", i), now.Add(time.Duration(i)*time.Millisecond))
		if n := l.size(); n > 100 {
			t.Fatalf("after %d keys the limiter holds %d, more than its 100", i+1, n)
		}
	}
	// Keys that recovered go first: the limiter keeps the newest.
	later := now.Add(time.Hour)
	for i := range 50 {
		l.failed(fmt.Sprintf("user:v%d", i), later)
	}
	for i := range 50 {
		if l.entries[fmt.Sprintf("user:v%d", i)] == nil {
			t.Fatalf("user:v%d was evicted before the keys that recovered", i)
		}
	}
	if l.retryAfter("user:v49", later) != 0 {
		t.Error("one failure is limited")
	}
	if n := l.size(); n > 100 {
		t.Errorf("the limiter holds %d keys", n)
	}
	for range 5 {
		l.failed("user:v49", later)
	}
	if l.retryAfter("user:v49", later) == 0 {
		t.Error("six failures are not limited")
	}
}

func TestClientKey(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.1:5000":         "client:192.0.2.1",
		"192.0.2.1":              "client:192.0.2.1",
		"[::ffff:192.0.2.1]:80":  "client:192.0.2.1",
		"[2001:db8::1]:443":      "client:2001:db8::/64",
		"[2001:db8:0:1::1]:443":  "client:2001:db8:0:1::/64",
		"unix socket, not an IP": "client:unix socket, not an IP",
		"2001:db8::abcd":         "client:2001:db8::/64",
	} {
		if got := clientKey(in); got != want {
			t.Errorf("clientKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestUnknownUserHashesADummy checks that a login as an unknown user
// costs a password hash like a wrong password does, and fails the same
// way (a check of the code path, not a timing test).
func TestUnknownUserHashesADummy(t *testing.T) {
	s, _, _ := newEstate(t, Options{})
	ctx := context.Background()
	_, _, wrong := s.Login(ctx, "alice", "wrong password!", "192.0.2.10")
	if n := s.dummyChecks.Load(); n != 0 {
		t.Fatalf("a known user's wrong password verified %d dummy hashes", n)
	}
	_, _, unknown := s.Login(ctx, "mallory", "wrong password!", "192.0.2.11")
	if n := s.dummyChecks.Load(); n != 1 {
		t.Fatalf("an unknown user verified %d dummy hashes, want 1", n)
	}
	if wrong != unknown || !errors.Is(wrong, ErrBadCredentials) {
		t.Errorf("wrong password: %v; unknown user: %v; want the same ErrBadCredentials", wrong, unknown)
	}
	if s.dummy.memory != argonMemory || s.dummy.time != argonTime || s.dummy.threads != argonThreads {
		t.Errorf("the dummy hash has other parameters than new hashes: m=%d t=%d p=%d", s.dummy.memory, s.dummy.time, s.dummy.threads)
	}
}
