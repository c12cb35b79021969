package xen

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/novacron/novacron/engine/driver"
)

// client is a XenAPI JSON-RPC 2.0 client with one session, logged in
// again once when XAPI says the session is no longer valid. It is safe
// for concurrent use.
type client struct {
	endpoint string // https://HOST/jsonrpc
	http     *http.Client
	user     string
	password string
	timeout  time.Duration // of each call
	id       atomic.Int64

	mu      sync.Mutex
	session string
}

// idleConns is how many connections are kept open between calls: as many
// as the executor runs at once.
const idleConns = 64

// newClient makes the HTTP client: TLS verified against the system's CAs,
// or ca_file's, unless insecure.
func newClient(cfg config) (*client, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: cfg.insecure}
	if cfg.caFile != "" {
		pem, err := os.ReadFile(cfg.caFile)
		if err != nil {
			return nil, driver.Errorf(driver.KindPermanent, "ca_file %s cannot be read: %v", cfg.caFile, err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, driver.Errorf(driver.KindPermanent, "ca_file %s holds no PEM certificate: it must be the PEM file of the CA that signed the pool master's certificate", cfg.caFile)
		}
		tc.RootCAs = pool
	}
	tr := &http.Transport{TLSClientConfig: tc, MaxIdleConnsPerHost: idleConns, Proxy: http.ProxyFromEnvironment,
		TLSHandshakeTimeout: 30 * time.Second, ForceAttemptHTTP2: true}
	return &client{
		endpoint: cfg.url.String() + "/jsonrpc", http: &http.Client{Transport: tr},
		user: cfg.username, password: cfg.password, timeout: cfg.callTimeout,
	}, nil
}

// apiError is a XenAPI error: its code and parameters, and the method.
type apiError struct {
	Method string
	Code   string
	Params []string
}

func (e *apiError) Error() string {
	if len(e.Params) == 0 {
		return fmt.Sprintf("XenAPI %s: %s", e.Method, e.Code)
	}
	return fmt.Sprintf("XenAPI %s: %s %q", e.Method, e.Code, e.Params)
}

// codeOf is the XenAPI error code of err, or "".
func codeOf(err error) string {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae.Code
	}
	return ""
}

// call calls a method with the session first, and logs in again once when
// the session has expired.
func (c *client) call(ctx context.Context, method string, out any, args ...any) error {
	s := c.currentSession()
	err := c.rpc(ctx, method, out, append([]any{s}, args...))
	if codeOf(err) != "SESSION_INVALID" {
		return err
	}
	if s, err = c.relogin(ctx, s); err != nil {
		return err
	}
	return c.rpc(ctx, method, out, append([]any{s}, args...))
}

func (c *client) currentSession() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.session
}

// relogin logs in again unless another call already did since stale.
func (c *client) relogin(ctx context.Context, stale string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.session != stale {
		return c.session, nil
	}
	s, err := c.login(ctx)
	if err != nil {
		return "", err
	}
	c.session = s
	return s, nil
}

// login opens a session; the password is only ever in the request body.
func (c *client) login(ctx context.Context) (string, error) {
	var s string
	err := c.rpc(ctx, "session.login_with_password", &s, []any{c.user, c.password, "2.0", "novacron"})
	return s, err
}

// logout ends the session.
func (c *client) logout(ctx context.Context) error {
	s := c.currentSession()
	if s == "" {
		return nil
	}
	err := c.rpc(ctx, "session.logout", nil, []any{s})
	c.mu.Lock()
	c.session = ""
	c.mu.Unlock()
	return err
}

// response is a JSON-RPC answer: result, or a v2.0 error object.
type response struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int      `json:"code"`
		Message string   `json:"message"`
		Data    []string `json:"data"`
	} `json:"error"`
}

// rpc makes one JSON-RPC call within the call timeout.
func (c *client) rpc(ctx context.Context, method string, out any, params []any) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": method, "params": params, "id": c.id.Add(1)})
	if err != nil {
		return driver.Errorf(driver.KindPermanent, "XenAPI %s: encoding the call: %v", method, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return driver.Errorf(driver.KindPermanent, "XenAPI %s: %v", method, err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return &transportError{method: method, err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return &transportError{method: method, err: err}
	}
	if resp.StatusCode != http.StatusOK {
		return &transportError{method: method, status: resp.StatusCode, err: fmt.Errorf("HTTP %s", resp.Status)}
	}
	var r response
	if err := json.Unmarshal(data, &r); err != nil {
		return &transportError{method: method, err: fmt.Errorf("the answer is not JSON-RPC: %v", err)}
	}
	if r.Error != nil {
		return &apiError{Method: method, Code: r.Error.Message, Params: r.Error.Data}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(r.Result, out); err != nil {
		return &transportError{method: method, err: fmt.Errorf("unexpected result: %v", err)}
	}
	return nil
}

// transportError is a call that got no XenAPI answer.
type transportError struct {
	method string
	status int
	err    error
}

func (e *transportError) Error() string { return fmt.Sprintf("XenAPI %s: %v", e.method, e.err) }
func (e *transportError) Unwrap() error { return e.err }

// xint is a XenAPI int: a JSON number, or a string of digits.
type xint int64

func (x *xint) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(s) > 1 && s[0] == '"' {
		s = s[1 : len(s)-1]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("the int %s: %w", b, err)
	}
	*x = xint(n)
	return nil
}
