package auth

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// fail logs in as user from client with a wrong password n times, each
// a failure (not held back).
func fail(t *testing.T, s *Service, user, client string, n int) {
	t.Helper()
	for i := range n {
		if _, _, err := s.Login(context.Background(), user, "wrong password!", client); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("%s from %s, failure %d: %v, want ErrBadCredentials", user, client, i+1, err)
		}
	}
}

func limited(t *testing.T, s *Service, user, password, client string) *LimitedError {
	t.Helper()
	_, _, err := s.Login(context.Background(), user, password, client)
	var lim *LimitedError
	if !errors.As(err, &lim) {
		t.Fatalf("%s from %s: %v, want *LimitedError", user, client, err)
	}
	return lim
}

func loginFrom(t *testing.T, s *Service, user, password, client string) {
	t.Helper()
	if _, _, err := s.Login(context.Background(), user, password, client); err != nil {
		t.Fatalf("%s from %s: %v, want a login", user, client, err)
	}
}

// TestLoginRateLimitPair: 5 failures of one user from one address hold
// that pair back (even with the right password) for 30 s; the same user
// from another address, and another user from the same address, are not;
// a success clears the pair.
func TestLoginRateLimitPair(t *testing.T) {
	s, _, c := newEstate(t, Options{})
	fail(t, s, "bob", "198.51.100.1:4000", 5)
	lim := limited(t, s, "bob", bobPassword, "198.51.100.1:4001")
	if lim.RetryAfter <= 0 || lim.RetryAfter > 30*time.Second || lim.RetryAfterSeconds() != 30 {
		t.Errorf("RetryAfter = %v (%d s), want 30 s", lim.RetryAfter, lim.RetryAfterSeconds())
	}
	loginFrom(t, s, "bob", bobPassword, "198.51.100.2:4000")     // another address
	loginFrom(t, s, "alice", alicePassword, "198.51.100.1:4002") // another user, same address

	c.advance(30 * time.Second)
	loginFrom(t, s, "bob", bobPassword, "198.51.100.1:4000")
	// The success cleared the pair: five more failures before a hold.
	fail(t, s, "bob", "198.51.100.1:4000", 5)
	limited(t, s, "bob", bobPassword, "198.51.100.1:4000")
}

// TestLoginRateLimitClient: an address failing for many user names is
// held back for all of them once it passes the looser per-address
// bound (an IPv6 client by its /64), and not before.
func TestLoginRateLimitClient(t *testing.T) {
	s, _, _ := newEstate(t, Options{ClientFailures: 8})
	for i := range 7 {
		fail(t, s, fmt.Sprintf("nobody%d", i), fmt.Sprintf("203.0.113.7:%d", 1000+i), 1)
	}
	loginFrom(t, s, "alice", alicePassword, "203.0.113.7:2000") // 7 of 8: not yet
	fail(t, s, "nobody7", "203.0.113.7:1007", 1)
	limited(t, s, "alice", alicePassword, "203.0.113.7:2001")
	loginFrom(t, s, "alice", alicePassword, "203.0.113.8:2000") // another address
	for i := range 8 {
		fail(t, s, fmt.Sprintf("n%d", i), fmt.Sprintf("[2001:db8::%d]:443", i+1), 1)
	}
	limited(t, s, "alice", alicePassword, "[2001:db8::ffff]:443")
}

// TestLoginRateLimitUser: an attacker failing for a user from other
// addresses does not hold the user back within the loose per-user bound;
// past it, new addresses are held back, but not one the user logged in
// from before.
func TestLoginRateLimitUser(t *testing.T) {
	s, _, _ := newEstate(t, Options{UserFailures: 12})
	loginFrom(t, s, "bob", bobPassword, "192.0.2.50:1") // bob's usual address
	for i := range 2 {
		client := fmt.Sprintf("198.51.100.%d:4000", 10+i)
		fail(t, s, "bob", client, 5)
		limited(t, s, "bob", "wrong password!", client) // the attacker, held back
	}
	loginFrom(t, s, "bob", bobPassword, "192.0.2.60:1") // 10 of 12: a new address still gets in
	fail(t, s, "bob", "198.51.100.12:4000", 2)
	limited(t, s, "bob", bobPassword, "192.0.2.61:1") // 12 of 12: a new address waits
	loginFrom(t, s, "bob", bobPassword, "192.0.2.50:1")
	loginFrom(t, s, "bob", bobPassword, "192.0.2.60:1")
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
