package hyperv

import (
	"fmt"
	"strings"
	"testing"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/hypervtest"
)

// badSpec is a one-VM spec with the given provider body, template VHDX
// and pin.
func badSpec(body, vhdx, host string) string {
	pin := ""
	if host != "" {
		pin = fmt.Sprintf("host = %q", host)
	}
	return fmt.Sprintf(`
provider "hyperv" "bad" {
%s
}
template "t" {
  hyperv { vhdx = %q }
}
vm "one" {
  template  = template.t
  cpu       = 1
  memory_gb = 1
  disk_gb   = 10
  %s
}
`, body, vhdx, pin)
}

// TestBadInput: a setting that points nowhere is one diagnostic that names
// it, from plan and apply alike, exit code 1, and no VM made.
func TestBadInput(t *testing.T) {
	s := startServer(t, hypervtest.Options{})
	conn := fmt.Sprintf("  url      = %q\n  username = %q\n  auth     = \"basic\"\n", s.URL, s.User)
	good := conn + fmt.Sprintf("  ca_file  = %q\n  hosts    = [\"HV1\", \"HV2\"]\n", s.CAFile)
	cases := []struct {
		name, body, vhdx, host string
		env                    map[string]string
		cmds                   [][]string
		want                   []string
	}{
		{name: "wrong password", body: good, env: map[string]string{"NOVACRON_HYPERV_PASSWORD": "wrong"},
			want: []string{"Cannot open provider hyperv.bad", "the host refused the credentials (WinRM authentication failed)", "check username novacron and", `auth = "basic"`}},
		{name: "no password", body: good, env: map[string]string{"NOVACRON_HYPERV_PASSWORD": ""},
			want: []string{"Cannot open provider hyperv.bad", "the password of username is not set", "NOVACRON_HYPERV_PASSWORD"}},
		{name: "untrusted certificate", body: conn,
			want: []string{"Cannot open provider hyperv.bad", "cannot verify the TLS certificate", "set ca_file", "insecure = true"}},
		{name: "insecure from the environment", body: conn, env: map[string]string{"NOVACRON_HYPERV_INSECURE": "true"},
			want: []string{"cannot verify the TLS certificate", "NOVACRON_HYPERV_INSECURE is not read"}},
		{name: "unknown host", body: strings.Replace(good, `"HV2"`, `"HV9"`, 1),
			want: []string{"Cannot open provider hyperv.bad", "Get-VMHost -ComputerName HV9", "check hosts"}},
		{name: "unknown switch", body: good + `  switch = "WAN"`,
			want: []string{"Cannot open provider hyperv.bad", `switch "WAN" not found on Hyper-V host HV1`, "set switch to one of LAN"}},
		{name: "unknown template", body: good, vhdx: `C:\Templates\missing.vhdx`,
			want: []string{`template "t"`, "missing.vhdx", "set vhdx"}},
		{name: "unknown pinned host", body: good, host: "HV9",
			want: []string{"HV9"}},
		{name: "malformed url", body: strings.Replace(good, s.URL, "hv1.example.net:5986", 1),
			want: []string{"url", "is not a WinRM URL", "https://HOST:5986/wsman"}},
		{name: "http url", body: strings.Replace(good, s.URL, "http://127.0.0.1:5985/wsman", 1),
			want: []string{"uses http", "unencrypted", "use https (port 5986)", "allow_unencrypted = true"}},
		{name: "duplicate hosts", body: strings.Replace(good, `"HV2"`, `"hv1"`, 1),
			want: []string{`hosts[1] "hv1" repeats hosts[0] "HV1"`, "host names are compared as Windows does"}},
		{name: "relative vhdx", body: good, vhdx: `relative.vhdx`,
			want: []string{"vhdx", `"relative.vhdx" is not an absolute path`}},
		{name: "empty switch", body: good + `  switch = ""`,
			want: []string{"Setting switch must not be empty: leave it out for its default"}},
		{name: "unknown auth", body: strings.Replace(good, `"basic"`, `"kerberos"`, 1),
			want: []string{"auth", `auth must be "ntlm" or "basic", not "kerberos"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			usePassword(t, s)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			if tc.vhdx == "" {
				tc.vhdx = hypervtest.Template
			}
			if tc.cmds == nil {
				tc.cmds = [][]string{{"plan"}, {"apply", "-auto-approve"}}
			}
			dir := t.TempDir()
			clitest.WriteSpec(t, dir, badSpec(tc.body, tc.vhdx, tc.host))
			nova.Refused(t, dir, clitest.Refusal{Want: tc.want, Secrets: []string{s.Password}}, tc.cmds...)
			if n := len(s.VMs()); n != 0 {
				t.Errorf("the server has %d VMs after the refused runs", n)
			}
		})
	}
}

// TestInsecureByName: insecure = true, written in the spec, connects
// without ca_file.
func TestInsecureByName(t *testing.T) {
	s := startServer(t, hypervtest.Options{})
	usePassword(t, s)
	dir := t.TempDir()
	body := fmt.Sprintf("  url      = %q\n  username = %q\n  hosts    = [\"HV1\", \"HV2\"]\n  insecure = true\n", s.URL, s.User)
	clitest.WriteSpec(t, dir, badSpec(body, hypervtest.Template, ""))
	nova.Run(t, dir, "plan", "-detailed-exitcode").Must(t, 2, "plan with insecure = true")
}

// TestHostNamesAnyCase: hosts written in another case than the hosts
// spell their names (Windows compares them without case) are the hosts
// as they report themselves, so a VM pinned to "HV2" plans onto hosts =
// ["hv1", "hv2"] (examples/hyperv's README).
func TestHostNamesAnyCase(t *testing.T) {
	s := startServer(t, hypervtest.Options{})
	usePassword(t, s)
	body := fmt.Sprintf("  url = %q\n  username = %q\n  auth = \"basic\"\n  ca_file = %q\n  hosts = [\"hv1\", \"hv2\"]\n", s.URL, s.User, s.CAFile)
	dir := t.TempDir()
	clitest.WriteSpec(t, dir, badSpec(body, hypervtest.Template, "HV2"))
	r := nova.Run(t, dir, "plan", "-detailed-exitcode").Must(t, 2, "plan pinning HV2 with hosts hv1, hv2")
	if !strings.Contains(r.Stdout, "HV2") {
		t.Errorf("the plan does not place the VM on HV2:\n%s", r.Stdout)
	}
}
