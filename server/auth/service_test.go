package auth

import (
	"context"
	"sync"
	"testing"
	"time"
)

// TestConcurrentRequestsAndChanges authenticates from many goroutines
// while the users file changes under them (run with -race): every answer
// is one the file allowed at some point.
func TestConcurrentRequestsAndChanges(t *testing.T) {
	s, root, _ := newEstate(t, Options{})
	users := UsersPath(root)
	token := login(t, s, "bob", bobPassword)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for range 4 {
		wg.Go(func() {
			for range 200 {
				p, err := s.Authenticate(bearer(token))
				if err != nil {
					errs <- err
					return
				}
				if r := p.Roles["prod"]; r != Operator && r != Viewer {
					t.Errorf("bob's role on prod is %v", r)
					return
				}
			}
		})
	}
	for i := range 10 {
		must(t, SetRole(users, "bob", "prod", []Role{Viewer, Operator}[i%2]))
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("Authenticate during changes: %v", err)
	}
}

func BenchmarkAuthenticateLoginToken(b *testing.B) {
	s, _, _ := newEstate(b, Options{})
	token, _, err := s.Login(context.Background(), "bob", bobPassword, "192.0.2.1")
	if err != nil {
		b.Fatal(err)
	}
	r := bearer(token)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Authenticate(r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAuthenticateAPIToken(b *testing.B) {
	s, root, c := newEstate(b, Options{})
	token, err := CreateToken(UsersPath(root), "ci", map[string]Role{"*": Viewer}, time.Hour, c.t)
	if err != nil {
		b.Fatal(err)
	}
	r := bearer(token)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Authenticate(r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLogin(b *testing.B) {
	s, _, _ := newEstate(b, Options{})
	for b.Loop() {
		if _, _, err := s.Login(context.Background(), "bob", bobPassword, "192.0.2.1"); err != nil {
			b.Fatal(err)
		}
	}
}
