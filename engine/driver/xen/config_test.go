package xen

import (
	"strings"
	"testing"
)

// TestParseURL: what a url setting may be, and what is refused with a
// message that names the fix and hides a password.
func TestParseURL(t *testing.T) {
	for _, tc := range []struct{ in, want, err string }{
		{in: "https://xen-01.example.net", want: "https://xen-01.example.net"},
		{in: "xen-01.example.net", want: "https://xen-01.example.net"},
		{in: " https://10.0.0.5:8443/ ", want: "https://10.0.0.5:8443"},
		{in: "https://xen-01/jsonrpc", want: "https://xen-01"},
		{in: "http://xen-01", err: "uses http"},
		{in: "ftp://xen-01", err: "XenAPI is served over https"},
		{in: "https://root:s3cret@xen-01", err: "holds a user name or password"},
		{in: "https://xen-01/api", err: "has the path /api"},
		{in: "https://xen-01/?x=1", err: "query"},
		{in: "xen 01", err: "is not the address of a pool master"},
		{in: "https://", err: "is not the address of a pool master"},
	} {
		u, err := parseURL(tc.in)
		switch {
		case tc.err == "" && (err != nil || u.String() != tc.want):
			t.Errorf("parseURL(%q) = %v, %v; want %s", tc.in, u, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("parseURL(%q) = %v, %v; want an error with %q", tc.in, u, err, tc.err)
		case err != nil && strings.Contains(err.Error(), "s3cret"):
			t.Errorf("parseURL(%q) shows the password: %v", tc.in, err)
		}
	}
}
