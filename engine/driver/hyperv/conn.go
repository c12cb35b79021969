package hyperv

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	ntlmssp "github.com/Azure/go-ntlmssp"
	"github.com/masterzen/winrm"
	"github.com/masterzen/winrm/soap"
)

// conn is the WinRM endpoint: one HTTP transport (its connections reused)
// shared by every call, and the credentials. It is safe for concurrent use.
type conn struct {
	url            string
	user, password string
	auth           string
	base           *http.Transport
}

// newConn builds the transport: TLS verified against the system's CAs and
// ca_file unless insecure.
func newConn(cfg config) (*conn, error) {
	tc := &tls.Config{InsecureSkipVerify: cfg.insecure, MinVersion: tls.VersionTLS12} //nolint:gosec // insecure is the user's by name
	if cfg.caFile != "" {
		pem, err := os.ReadFile(cfg.caFile)
		if err != nil {
			return nil, fmt.Errorf("ca_file: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("ca_file %s holds no PEM certificate", cfg.caFile)
		}
		tc.RootCAs = pool
	}
	base := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:     tc,
		TLSHandshakeTimeout: 30 * time.Second,
		MaxIdleConnsPerHost: 16,
	}
	return &conn{url: cfg.url.String(), user: cfg.username, password: cfg.password, auth: cfg.auth, base: base}, nil
}

// errNoNTLM: the endpoint answered 401 without offering NTLM, and the
// negotiator would have sent the password with Basic auth instead.
var errNoNTLM = errors.New("the endpoint does not offer NTLM (Negotiate) authentication")

// noBasic refuses to send a request with Basic credentials: with auth =
// "ntlm" the password must never go out as Basic.
type noBasic struct{ rt http.RoundTripper }

func (n noBasic) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasPrefix(r.Header.Get("Authorization"), "Basic ") {
		return nil, errNoNTLM
	}
	return n.rt.RoundTrip(r)
}

// client returns a winrm client for one operation, whose every HTTP
// request carries ctx; the requests that end a command (Signal) and its
// shell (Delete) get 10 seconds of their own once ctx is done, so a
// stopped script is cleaned up. done releases what the client holds.
//
// With NTLM the operation has a connection of its own: NTLM authenticates
// a connection, so its handshake must not be spread over the pooled
// connections of concurrent operations (the AUTHENTICATE message would
// reach a connection that saw no NEGOTIATE, and WinRM answers 401). The
// negotiator may never fall back to Basic.
func (c *conn) client(ctx context.Context) (cl *winrm.Client, done func(), err error) {
	var rt http.RoundTripper = c.base
	done = func() {}
	if c.auth == authNTLM {
		t := c.base.Clone()
		t.MaxConnsPerHost = 1
		rt, done = &ntlmssp.Negotiator{RoundTripper: noBasic{t}}, t.CloseIdleConnections
	}
	ep := &winrm.Endpoint{Host: "unused", Port: 1, HTTPS: true}
	params := *winrm.DefaultParameters
	params.TransportDecorator = func() winrm.Transporter { return &post{c: c, rt: rt, ctx: ctx} }
	cl, err = winrm.NewClientWithParameters(ep, c.user, c.password, &params)
	return cl, done, err
}

// post is a winrm.Transporter bound to one operation's context.
type post struct {
	c   *conn
	rt  http.RoundTripper
	ctx context.Context
}

func (p *post) Transport(*winrm.Endpoint) error { return nil }

// errAuth is a 401 answer: the credentials were refused.
var errAuth = errors.New("401 Unauthorized")

// Post sends one WS-Management message. Errors keep the winrm library's
// shape ("http error 500: BODY"), which it reads to tell a Receive that
// timed out (OperationTimeout) from a failure.
func (p *post) Post(_ *winrm.Client, m *soap.SoapMessage) (string, error) {
	body := m.String()
	ctx := p.ctx
	if ctx.Err() != nil && (strings.Contains(body, "/shell/Signal") || strings.Contains(body, "/transfer/Delete")) {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.c.url, strings.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/soap+xml;charset=UTF-8")
	req.SetBasicAuth(p.c.user, p.c.password)
	resp, err := (&http.Client{Transport: p.rt}).Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	switch {
	case err != nil:
		return "", err
	case resp.StatusCode == http.StatusUnauthorized:
		return "", errAuth
	case !strings.Contains(resp.Header.Get("Content-Type"), "application/soap+xml"):
		return "", fmt.Errorf("http response error: %d - invalid content type", resp.StatusCode)
	case resp.StatusCode != http.StatusOK:
		return "", fmt.Errorf("http error %d: %s", resp.StatusCode, out)
	}
	return string(out), nil
}
