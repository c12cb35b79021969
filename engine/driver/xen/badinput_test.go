package xen

import (
	"fmt"
	"testing"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/xentest"
)

// badSpec is a one-VM spec with the given provider body and template.
func badSpec(body, tmpl string) string {
	return fmt.Sprintf(`
provider "xen" "bad" {
  poll_interval = "5ms"
%s
}
template "t" {
  xen { template = %q }
}
vm "one" {
  template  = template.t
  cpu       = 2
  memory_gb = 2
  disk_gb   = 10
}
`, body, tmpl)
}

// TestBadInput: a setting XenAPI refuses is one diagnostic that names it,
// from plan and apply alike, exit code 1, and no VM made.
func TestBadInput(t *testing.T) {
	s := startServer(t, xentest.Options{})
	member := startServer(t, xentest.Options{Member: true, MasterAddress: "192.0.2.10"})
	dir0 := t.TempDir()
	ca, err := s.WriteCA(dir0)
	if err != nil {
		t.Fatal(err)
	}
	memberCA, err := member.WriteCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	at := func(srv *xentest.Server, caFile, extra string) string {
		return fmt.Sprintf("  url = %q\n  ca_file = %q\n%s", srv.URL, caFile, extra)
	}
	both := [][]string{{"plan"}, {"apply", "-auto-approve"}}
	cases := []struct {
		name, body, tmpl, password string
		want                       []string
		exact                      []string // case and all
	}{
		{name: "wrong password", body: at(s, ca, ""), password: "wrong-password",
			want: []string{"Cannot open provider xen.bad", "SESSION_AUTHENTICATION_FAILED", "check username and password"}},
		{name: "no password", body: at(s, ca, ""), password: "-",
			want: []string{"Cannot open provider xen.bad", "password is not set", "NOVACRON_XEN_PASSWORD"}},
		{name: "nothing listening", body: "  url = \"https://127.0.0.1:1\"\n",
			want: []string{"Cannot open provider xen.bad", "cannot reach the pool master https://127.0.0.1:1", "check url"}},
		{name: "unreadable ca_file", body: at(s, "/nonexistent/xen-ca.pem", ""),
			want: []string{"Cannot open provider xen.bad", "ca_file /nonexistent/xen-ca.pem cannot be read"}},
		{name: "untrusted certificate", body: fmt.Sprintf("  url = %q\n", s.URL),
			want: []string{"Cannot open provider xen.bad", "cannot verify the TLS certificate", "ca_file", "insecure = true"}},
		{name: "pool member", body: at(member, memberCA, ""),
			want: []string{"Cannot open provider xen.bad", "HOST_IS_SLAVE", "the master is at 192.0.2.10", `set url = "https://192.0.2.10"`}},
		{name: "unknown pool", body: at(s, ca, `  pool = "prod"`),
			want: []string{"Cannot open provider xen.bad", `pool "prod"`, "check pool"}},
		{name: "unknown sr", body: at(s, ca, `  sr = "fast-ssd"`),
			want: []string{"Cannot open provider xen.bad", `sr = "fast-ssd"`, "check sr"}, exact: []string{`Setting sr = "fast-ssd"`}},
		{name: "ISO library as sr", body: at(s, ca, fmt.Sprintf("  sr = %q", xentest.ISOSRName)),
			want: []string{"Cannot open provider xen.bad", "check sr"}},
		{name: "unknown network", body: at(s, ca, `  network = "dmz"`),
			want: []string{"Cannot open provider xen.bad", `network = "dmz"`, "check network"}},
		{name: "unknown template", body: at(s, ca, ""), tmpl: "windows-2022",
			want: []string{`template "windows-2022"`, "check template"}, exact: []string{fmt.Sprintf(`it has %q`, xentest.TemplateName)}},
		{name: "absurd max_memory_gb", body: at(s, ca, "  max_memory_gb = 1e12"),
			want: []string{"max_memory_gb"}, exact: []string{"Setting max_memory_gb must be between 0 and 1536"}},
		{name: "empty sr", body: at(s, ca, `  sr = ""`),
			want: []string{"sr"}, exact: []string{"Setting sr must not be empty: leave it out for its default"}},
		{name: "http url", body: `  url = "http://xen-01.example.net"`,
			want: []string{"url", "uses http", "https://xen-01.example.net"}},
		{name: "malformed url", body: `  url = "xen 01"`,
			want: []string{"url", "is not the address of a pool master"}},
		{name: "password in url", body: `  url = "https://root:hunter2@xen-01.example.net"`,
			want: []string{"url", "holds a user name or password"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			password := s.Password
			switch tc.password {
			case "-":
				password = ""
			case "":
			default:
				password = tc.password
			}
			t.Setenv(EnvName(settingPassword), password)
			tmpl := tc.tmpl
			if tmpl == "" {
				tmpl = xentest.TemplateName
			}
			dir := t.TempDir()
			clitest.WriteSpec(t, dir, badSpec(tc.body, tmpl))
			nova.Refused(t, dir, clitest.Refusal{Want: tc.want, Exact: tc.exact, Secrets: []string{password, "hunter2"}}, both...)
			if n := len(s.VMs()); n != 0 {
				t.Errorf("the server holds %d VMs after the refused runs", n)
			}
		})
	}
}

// TestInsecure: the untrusted certificate is accepted when insecure =
// true is written in the block.
func TestInsecure(t *testing.T) {
	s := startServer(t, xentest.Options{})
	usePassword(t, s)
	dir := t.TempDir()
	clitest.WriteSpec(t, dir, badSpec(fmt.Sprintf("  url = %q\n  insecure = true", s.URL), xentest.TemplateName))
	nova.Run(t, dir, "plan", "-detailed-exitcode").Must(t, 2, "plan with insecure = true")
}
