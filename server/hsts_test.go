package server

import (
	"net/http/httptest"
	"testing"
)

// TestStrictTransportSecurity: every answer over TLS tells the browser
// to use HTTPS only (for a year); none over plain HTTP, where the header
// means nothing and would mislead.
func TestStrictTransportSecurity(t *testing.T) {
	for _, c := range []struct {
		name string
		srv  *httptest.Server
		want string
	}{
		{"TLS", httptest.NewTLSServer(New(Config{})), "max-age=31536000"},
		{"plain HTTP", httptest.NewServer(New(Config{})), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer c.srv.Close()
			for _, path := range []string{"/health", "/api/v1/workspaces", "/api/v1/nope"} {
				resp, err := c.srv.Client().Get(c.srv.URL + path)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if got := resp.Header.Get("Strict-Transport-Security"); got != c.want {
					t.Errorf("GET %s (%d): Strict-Transport-Security %q, want %q", path, resp.StatusCode, got, c.want)
				}
			}
		})
	}
}
