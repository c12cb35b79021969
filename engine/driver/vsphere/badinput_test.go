package vsphere

import (
	"context"
	"fmt"
	"testing"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/vcsim"
)

// badSpec is a one-VM spec with the given provider body, template VM and
// pin.
func badSpec(body, templateVM, host string) string {
	pin := ""
	if host != "" {
		pin = fmt.Sprintf("host = %q", host)
	}
	return fmt.Sprintf(`
provider "vsphere" "bad" {
%s
}
template "t" {
  vsphere { vm = %q }
}
vm "one" {
  template  = template.t
  cpu       = 1
  memory_gb = 1
  disk_gb   = 10
  %s
}
`, body, templateVM, pin)
}

// TestBadInput: a setting that points nowhere is one diagnostic that names
// it, from plan and apply alike, exit code 1, and no VM made.
func TestBadInput(t *testing.T) {
	s := startSim(t, vcsim.Options{})
	good := `  datacenter = "DC0"
  cluster    = "DC0_C0"`
	cases := []struct {
		name, body, templateVM, host string
		env                          map[string]string
		cmds                         [][]string
		want                         []string
	}{
		{name: "wrong password", body: good, env: map[string]string{"NOVACRON_VSPHERE_PASSWORD": "wrong"},
			want: []string{"Cannot open provider vsphere.bad", `login refused by vCenter`, `user "novacron" or its password is wrong`, "check user and password"}},
		{name: "no password", body: good, env: map[string]string{"NOVACRON_VSPHERE_PASSWORD": ""},
			want: []string{"Cannot open provider vsphere.bad", "the password of the vCenter user is not set", "set password", "NOVACRON_VSPHERE_PASSWORD"}},
		{name: "TLS without ca_file or insecure", body: good, env: map[string]string{"NOVACRON_VSPHERE_CA_FILE": ""},
			want: []string{"Cannot open provider vsphere.bad", "cannot verify the TLS certificate", "set ca_file", "insecure = true"}},
		{name: "unknown datacenter", body: `datacenter = "DC9"`,
			want: []string{"Cannot open provider vsphere.bad", `datacenter "DC9" not found`, "set datacenter to one of DC0"}},
		{name: "unknown cluster", body: `cluster = "C9"`,
			want: []string{"Cannot open provider vsphere.bad", `cluster "C9" not found in datacenter DC0`, "set cluster to one of DC0_C0"}},
		{name: "unknown datastore", body: good + "\n  datastore = \"DS9\"",
			want: []string{"Cannot open provider vsphere.bad", `datastore "DS9" not found`, "set datastore to one of LocalDS_0"}},
		{name: "unknown network", body: good + "\n  network = \"NET9\"",
			want: []string{"Cannot open provider vsphere.bad", `network "NET9" not found`, "set network"}},
		{name: "unknown folder", body: good + "\n  folder = \"nowhere\"",
			want: []string{"Cannot open provider vsphere.bad", `folder "nowhere" not found`}},
		{name: "cluster and resource pool", body: good + "\n  resource_pool = \"DC0_C0/Resources\"",
			want: []string{"Cannot open provider vsphere.bad", "set cluster or resource_pool, not both"}},
		{name: "password in the url", body: good + "\n  url = \"https://root:hunter2@127.0.0.1/sdk\"",
			want: []string{"Invalid value for url", `"https://…@127.0.0.1/sdk" holds a user name or password`, "set user and password instead"}},
		{name: "host name that does not resolve", body: good + "\n  url = \"https://vc.invalid/sdk\"",
			want: []string{"Cannot open provider vsphere.bad", "Cannot connect to vCenter https://vc.invalid/sdk", "check url"}},
		{name: "malformed url with a password", body: good + "\n  url = \"https://root:hunter2@vc example/sdk\"",
			want: []string{"Invalid value for url", `"https://…@vc example/sdk" is not a vCenter address`}},
		{name: "ftp url with a password", body: good + "\n  url = \"ftp://root:hunter2@127.0.0.1/sdk\"",
			want: []string{"Invalid value for url", `"ftp://…@127.0.0.1/sdk" uses ftp`}},
		{name: "http url", body: good + "\n  url = \"http://127.0.0.1/sdk\"",
			want: []string{"Invalid value for url", `"http://127.0.0.1/sdk" uses http, which would send the password unencrypted`, "use https://127.0.0.1/sdk"}},
		{name: "http url from the environment", body: good, env: map[string]string{"NOVACRON_VSPHERE_URL": "http://127.0.0.1:9/sdk"},
			want: []string{"Cannot open provider vsphere.bad", "NOVACRON_VSPHERE_URL: ", "uses http", "use https://127.0.0.1:9/sdk"}},
		{name: "insecure from the environment", body: good, env: map[string]string{"NOVACRON_VSPHERE_CA_FILE": "", "NOVACRON_VSPHERE_INSECURE": "true"},
			want: []string{"cannot verify the TLS certificate", "NOVACRON_VSPHERE_INSECURE is not read"}},
		{name: "unknown host", body: good, host: "DC0_C0_H9",
			want: []string{"DC0_C0_H9"}},
		{name: "unknown template", body: good, templateVM: "no-such-template", cmds: [][]string{{"apply", "-auto-approve"}},
			want: []string{`template "t"`, `no VM template named "no-such-template"`, "set vm"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			useSim(t, s)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			if tc.templateVM == "" {
				tc.templateVM = vcsim.Template
			}
			if tc.cmds == nil {
				tc.cmds = [][]string{{"plan"}, {"apply", "-auto-approve"}}
			}
			dir := t.TempDir()
			clitest.WriteSpec(t, dir, badSpec(tc.body, tc.templateVM, tc.host))
			nova.Refused(t, dir, clitest.Refusal{Want: tc.want, Secrets: []string{s.Password, "hunter2"}}, tc.cmds...)
			if n := vmCount(t, s); n != 0 {
				t.Errorf("the simulator has %d VMs besides the template after the refused runs", n)
			}
		})
	}
}

// TestInsecureByName: insecure = true, written in the spec, connects
// without ca_file.
func TestInsecureByName(t *testing.T) {
	s := startSim(t, vcsim.Options{})
	useSim(t, s)
	t.Setenv("NOVACRON_VSPHERE_CA_FILE", "")
	dir := t.TempDir()
	clitest.WriteSpec(t, dir, badSpec("  cluster = \"DC0_C0\"\n  insecure = true", vcsim.Template, ""))
	nova.Run(t, dir, "plan", "-detailed-exitcode").Must(t, 2, "plan with insecure = true")
}

// vmCount counts the simulator's VMs that are not templates.
func vmCount(t *testing.T, s *vcsim.Sim) int {
	t.Helper()
	d := openDriver(t, simConfig(s))
	inv, err := d.Inventory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(inv.VMs)
}
