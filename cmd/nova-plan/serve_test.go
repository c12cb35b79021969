package main

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServeRefusesUnsafeListen: plain HTTP on an address other hosts
// reach is refused unless -insecure-listen is named, and a certificate
// needs its key (and the reverse); nothing is served.
func TestServeRefusesUnsafeListen(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "-listen=0.0.0.0:0"}, "-insecure-listen"},
		{[]string{"serve", "-listen=[::]:0"}, "-insecure-listen"},
		{[]string{"serve", "-listen=192.0.2.1:8090"}, "-insecure-listen"},
		{[]string{"serve", "-tls-cert=server.crt"}, "-tls-key"},
		{[]string{"serve", "-tls-key=server.key"}, "-tls-cert"},
		{[]string{"serve", "-listen=nonsense"}, "HOST:PORT"},
		{[]string{"serve", "extra"}, "no arguments"},
	} {
		r := nova(t, dir, c.args...)
		if r.Code != 1 || !strings.Contains(r.Stderr, c.want) {
			t.Errorf("nova-plan %s: exit %d, want 1 with a message naming %s\n%s", strings.Join(c.args, " "), r.Code, c.want, r.Stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, ".nova")); err == nil {
		t.Errorf("a refused serve wrote .nova in the folder")
	}
}

// served is a nova-plan serve process.
type served struct {
	cmd    *exec.Cmd
	url    string
	stdout strings.Builder // what it printed up to its URL, and more
	stderr *strings.Builder
	done   chan error
	ended  bool
}

// startServe starts nova-plan -chdir=dir serve args… and waits for the
// line that gives its URL.
func startServe(t *testing.T, dir string, args ...string) *served {
	t.Helper()
	cmd := exec.Command(novaBin, append([]string{"-chdir=" + dir, "serve", "-listen=127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	s := &served{cmd: cmd, stderr: &strings.Builder{}, done: make(chan error, 1)}
	cmd.Stderr = s.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.stop(t) })
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		line := lines.Text()
		s.stdout.WriteString(line + "\n")
		if u, ok := strings.CutPrefix(line, "Serving on "); ok {
			s.url = strings.TrimSuffix(u, "/")
		}
		if strings.HasPrefix(line, "Press Ctrl-C") {
			break
		}
	}
	if s.url == "" {
		cmd.Wait()
		t.Fatalf("serve printed no URL:\n%s\nstderr:\n%s", s.stdout.String(), s.stderr)
	}
	go func() { io.Copy(io.Discard, out); s.done <- cmd.Wait() }()
	return s
}

// stop sends SIGTERM and fails the test unless serve exits 0 soon.
func (s *served) stop(t *testing.T) {
	t.Helper()
	if s.ended {
		return
	}
	s.ended = true
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("serve after SIGTERM: %v\nstderr:\n%s", err, s.stderr)
		}
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		t.Errorf("serve did not stop within 30 s of SIGTERM")
	}
}

// TestServe starts serve over a copy of examples/quickstart: it prints
// its URL, the workspace and the path of the first admin's password file
// (not the password), answers /health, lets the admin log in with that
// password, and stops on SIGTERM with exit 0.
func TestServe(t *testing.T) {
	dir := quickstartCopy(t)
	s := startServe(t, dir)
	out := s.stdout.String()
	pwFile := filepath.Join(dir, ".nova", "server", "initial-admin-password")
	if !strings.Contains(out, "quickstart") || !strings.Contains(out, pwFile) {
		t.Errorf("serve's start does not name the workspace and %s:\n%s", pwFile, out)
	}
	pw, err := os.ReadFile(pwFile)
	if err != nil {
		t.Fatal(err)
	}
	password := strings.TrimSpace(string(pw))
	resp := httpDo(t, http.DefaultClient, "GET", s.url+"/health", "")
	if resp.code != 200 || !strings.Contains(resp.body, `"ok"`) {
		t.Errorf("/health: %d %s", resp.code, resp.body)
	}
	resp = httpDo(t, http.DefaultClient, "POST", s.url+"/api/v1/auth/login", `{"username":"admin","password":"`+password+`"}`)
	if resp.code != 200 || !strings.Contains(resp.body, `"token"`) {
		t.Errorf("login with the initial password: %d %s", resp.code, resp.body)
	}
	s.stop(t)
	if strings.Contains(s.stdout.String()+s.stderr.String(), password) {
		t.Errorf("serve printed the admin's password")
	}
	// The second start makes no new admin.
	s = startServe(t, dir)
	if strings.Contains(s.stdout.String(), "initial-admin-password") {
		t.Errorf("the second start names the password file again:\n%s", s.stdout.String())
	}
}

// TestServeTLS serves HTTPS with a certificate made here: a client that
// trusts it gets in with TLS 1.2 or later, one offering only TLS 1.1
// does not, and the session cookie is Secure.
func TestServeTLS(t *testing.T) {
	dir := quickstartCopy(t)
	certFile, keyFile, pool := selfSigned(t, t.TempDir())
	s := startServe(t, dir, "-tls-cert="+certFile, "-tls-key="+keyFile)
	if !strings.HasPrefix(s.url, "https://") {
		t.Fatalf("serve with a certificate serves %s", s.url)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	if r := httpDo(t, client, "GET", s.url+"/health", ""); r.code != 200 {
		t.Errorf("/health over TLS: %d", r.code)
	}
	pw, _ := os.ReadFile(filepath.Join(dir, ".nova", "server", "initial-admin-password"))
	r := httpDo(t, client, "POST", s.url+"/api/v1/auth/login", `{"username":"admin","password":"`+strings.TrimSpace(string(pw))+`"}`)
	if r.code != 200 || !strings.Contains(r.header.Get("Set-Cookie"), "Secure") {
		t.Errorf("login over TLS: %d, Set-Cookie %q, want a Secure cookie", r.code, r.header.Get("Set-Cookie"))
	}
	old := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MaxVersion: tls.VersionTLS11}}}
	if _, err := old.Get(s.url + "/health"); err == nil {
		t.Errorf("a TLS 1.1 client was served")
	}
}

func quickstartCopy(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "quickstart")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "quickstart", "main.nova.hcl"))
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "main.nova.hcl"), data, 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

type httpResult struct {
	code   int
	header http.Header
	body   string
}

func httpDo(t *testing.T, c *http.Client, method, url, body string) httpResult {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return httpResult{resp.StatusCode, resp.Header, string(b)}
}

// selfSigned writes a certificate for 127.0.0.1 and its key into dir,
// and returns their paths and a pool that trusts the certificate.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "nova-plan test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "server.crt"), filepath.Join(dir, "server.key")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// TestServeRefusesMissingAPIWorkspace: -api-workspace must name a spec
// folder of the estate; serve says so and exits 1 without listening.
func TestServeRefusesMissingAPIWorkspace(t *testing.T) {
	dir := quickstartCopy(t)
	r := nova(t, dir, "serve", "-listen=127.0.0.1:0", "-api-workspace=nowhere")
	if r.Code != 1 || !strings.Contains(r.Stderr, `"nowhere"`) || strings.Contains(r.Stdout, "Serving on") {
		t.Errorf("serve -api-workspace=nowhere: exit %d\nstdout:\n%s\nstderr:\n%s", r.Code, r.Stdout, r.Stderr)
	}
}

// TestServeMetricsListen: with -metrics-listen, /metrics is served there
// and not on -listen.
func TestServeMetricsListen(t *testing.T) {
	dir := quickstartCopy(t)
	s := startServe(t, dir, "-metrics-listen=127.0.0.1:0")
	var metricsURL string
	for _, line := range strings.Split(s.stdout.String(), "\n") {
		if u, ok := strings.CutPrefix(line, "Metrics on "); ok {
			metricsURL = u
		}
	}
	if metricsURL == "" {
		t.Fatalf("serve does not say where /metrics is:\n%s", s.stdout.String())
	}
	if r := httpDo(t, http.DefaultClient, "GET", s.url+"/metrics", ""); r.code != 404 {
		t.Errorf("/metrics on -listen as well: %d", r.code)
	}
	if r := httpDo(t, http.DefaultClient, "GET", metricsURL, ""); r.code != 200 || !strings.Contains(r.body, `nova_http_requests_total{code="404",route="none"} 1`) {
		t.Errorf("GET %s: %d, want the main listener's 404 counted\n%s", metricsURL, r.code, r.body)
	}
}
