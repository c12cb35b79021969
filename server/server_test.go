package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a log destination handlers may write to at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestPanicIsA500: a handler's panic becomes a 500 with the generic JSON
// error body, logged with its value; the server goes on serving.
func TestPanicIsA500(t *testing.T) {
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /boom", func(http.ResponseWriter, *http.Request) { panic("kaboom") })
	mux.HandleFunc("GET /fine", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "fine") })
	srv := httptest.NewServer(recoverPanics(log, logRequests(log, mux)))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/boom")
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Error struct{ Code, Message string }
	}
	err = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if resp.StatusCode != 500 || err != nil || body.Error.Code != "internal" || strings.Contains(body.Error.Message, "kaboom") {
		t.Errorf("a panic: %d %+v (%v), want 500 with a generic JSON error", resp.StatusCode, body, err)
	}
	if !strings.Contains(logs.String(), "kaboom") {
		t.Errorf("the panic is not logged:\n%s", logs.String())
	}
	if resp, err := http.Get(srv.URL + "/fine"); err != nil || resp.StatusCode != 200 {
		t.Errorf("after a panic: %v %v", resp, err)
	}
}

// TestRequestLogHidesSecrets: the request log has the method, route,
// path and status, and neither the query string nor any header.
func TestRequestLogHidesSecrets(t *testing.T) {
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(204) })
	srv := httptest.NewServer(logRequests(log, mux))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/things/a1?token=SECRET-QUERY", nil)
	req.Header.Set("Authorization", "Bearer SECRET-HEADER")
	req.AddCookie(&http.Cookie{Name: "nova_session", Value: "SECRET-COOKIE"})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	line := logs.String()
	for _, want := range []string{"method=GET", `route="GET /things/{id}"`, "path=/things/a1", "status=204"} {
		if !strings.Contains(line, want) {
			t.Errorf("the request log lacks %s:\n%s", want, line)
		}
	}
	if strings.Contains(line, "SECRET") {
		t.Errorf("the request log holds a secret:\n%s", line)
	}
}

// TestHealthWithoutEstate: /health needs no credential and is a 503 when
// there is no estate to read.
func TestHealthWithoutEstate(t *testing.T) {
	srv := httptest.NewServer(New(Config{}))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/health")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 503 || !strings.Contains(string(b), `"unavailable"`) {
		t.Errorf("/health without an estate: %d %s", resp.StatusCode, b)
	}
}

// TestListenCheck: the listen settings serve refuses, and those it takes.
func TestListenCheck(t *testing.T) {
	for _, c := range []struct {
		l    Listen
		want string // "" for none
	}{
		{Listen{Addr: "127.0.0.1:8090"}, ""},
		{Listen{Addr: "[::1]:8090"}, ""},
		{Listen{Addr: "localhost:8090"}, ""},
		{Listen{Addr: "0.0.0.0:8090"}, "-insecure-listen"},
		{Listen{Addr: ":8090"}, "-insecure-listen"},
		{Listen{Addr: "example.com:8090"}, "-insecure-listen"},
		{Listen{Addr: "0.0.0.0:8090", Insecure: true}, ""},
		{Listen{Addr: "0.0.0.0:8090", CertFile: "c", KeyFile: "k"}, ""},
		{Listen{Addr: "127.0.0.1:8090", CertFile: "c"}, "-tls-key"},
		{Listen{Addr: "127.0.0.1:8090", KeyFile: "k"}, "-tls-cert"},
		{Listen{Addr: "8090"}, "HOST:PORT"},
		{Listen{Addr: "127.0.0.1:8090", MetricsAddr: "nope"}, "-metrics-listen"},
	} {
		err := c.l.Check()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%+v: %v", c.l, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%+v: %v, want an error naming %s", c.l, err, c.want)
		}
	}
}

// TestServeShutsDownGracefully: when its context ends, Serve stops
// accepting, lets the request in flight finish, and returns nil.
func TestServeShutsDownGracefully(t *testing.T) {
	ls, err := Bind(Listen{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	inFlight := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		close(inFlight)
		time.Sleep(300 * time.Millisecond)
		io.WriteString(w, "done")
	})
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, ls, h, nil, slog.New(slog.DiscardHandler), 5*time.Second) }()
	url := ls.URL()
	got := make(chan string, 1)
	go func() {
		resp, err := http.Get(url + "/slow")
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got <- string(b)
	}()
	<-inFlight
	cancel()
	if body := <-got; body != "done" {
		t.Errorf("the request in flight at shutdown got %q, want done", body)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
	if _, err := http.Get(url + "/slow"); err == nil {
		t.Errorf("the server still accepts after shutdown")
	}
}
