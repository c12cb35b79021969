package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// Listen says where and how the server listens.
type Listen struct {
	Addr string // host:port of the main listener
	// MetricsAddr, when set, is the only listener serving /metrics.
	MetricsAddr string
	// CertFile and KeyFile, both or neither, serve the main listener
	// over TLS (1.2 at least).
	CertFile, KeyFile string
	// Insecure allows a non-loopback Addr without TLS.
	Insecure bool
}

// Check refuses what Listen must not do: a certificate without its key
// (or the reverse), or plain HTTP on an address other hosts can reach
// unless Insecure. The messages name the flags of nova-plan serve.
func (l Listen) Check() error {
	if (l.CertFile == "") != (l.KeyFile == "") {
		return errors.New("-tls-cert and -tls-key go together: give both the certificate and its private key, or neither")
	}
	for _, a := range []struct{ flag, addr string }{{"-listen", l.Addr}, {"-metrics-listen", l.MetricsAddr}} {
		if a.addr == "" {
			continue
		}
		host, _, err := net.SplitHostPort(a.addr)
		if err != nil {
			return fmt.Errorf("%s=%s: %v; give HOST:PORT, such as 127.0.0.1:8090", a.flag, a.addr, err)
		}
		if a.flag == "-listen" && l.CertFile == "" && !l.Insecure && !loopback(host) {
			return fmt.Errorf("-listen=%s is reachable from other hosts, and without TLS passwords and tokens would cross the network in clear: give -tls-cert and -tls-key, listen on a loopback address such as 127.0.0.1:8090, or name -insecure-listen to serve plain HTTP anyway", a.addr)
		}
	}
	return nil
}

// loopback reports whether host names only this machine.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Listeners are the bound sockets of a server.
type Listeners struct {
	Main, Metrics net.Listener
	TLS           bool
}

// Bind checks l and opens its listeners (so that the addresses are
// known, and taken, before anything is served).
func Bind(l Listen) (*Listeners, error) {
	if err := l.Check(); err != nil {
		return nil, err
	}
	var tlsConf *tls.Config
	if l.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(l.CertFile, l.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("-tls-cert/-tls-key: %v", err)
		}
		tlsConf = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
	}
	main, err := net.Listen("tcp", l.Addr)
	if err != nil {
		return nil, fmt.Errorf("-listen: %v", err)
	}
	ls := &Listeners{Main: main}
	if tlsConf != nil {
		ls.Main, ls.TLS = tls.NewListener(main, tlsConf), true
	}
	if l.MetricsAddr != "" {
		if ls.Metrics, err = net.Listen("tcp", l.MetricsAddr); err != nil {
			main.Close()
			return nil, fmt.Errorf("-metrics-listen: %v", err)
		}
	}
	return ls, nil
}

// URL is the main listener's base URL.
func (ls *Listeners) URL() string {
	scheme := "http"
	if ls.TLS {
		scheme = "https"
	}
	return scheme + "://" + ls.Main.Addr().String()
}

// Serve serves main (and metrics on the metrics listener, when there is
// one) until ctx ends, then shuts down gracefully: it stops accepting and
// waits up to grace for the requests in flight before closing what is
// left. It returns the first error of a listener, or nil after ctx ends.
func Serve(ctx context.Context, ls *Listeners, main, metrics http.Handler, log *slog.Logger, grace time.Duration) error {
	if metrics == nil {
		metrics = http.NotFoundHandler()
	}
	servers := []*http.Server{newHTTPServer(main, log)}
	listeners := []net.Listener{ls.Main}
	if ls.Metrics != nil {
		servers = append(servers, newHTTPServer(metrics, log))
		listeners = append(listeners, ls.Metrics)
	}
	errc := make(chan error, len(servers))
	var wg sync.WaitGroup
	for i, s := range servers {
		wg.Go(func() {
			if err := s.Serve(listeners[i]); !errors.Is(err, http.ErrServerClosed) {
				errc <- err
			}
		})
	}
	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	shutdown(servers, grace)
	wg.Wait()
	return err
}

// shutdown stops the servers accepting, waits up to grace for their
// requests, then closes them.
func shutdown(servers []*http.Server, grace time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	for _, s := range servers {
		if s.Shutdown(ctx) != nil {
			s.Close()
		}
	}
}

func newHTTPServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}
