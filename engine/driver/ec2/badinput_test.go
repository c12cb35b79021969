package ec2

import (
	"fmt"
	"testing"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/ec2test"
)

// badSpec is a one-VM spec with the given provider body and template body.
func badSpec(s *ec2test.Server, body, tmpl string) string {
	return fmt.Sprintf(`
provider "ec2" "bad" {
  endpoint      = %q
  poll_interval = "20ms"
%s
}
template "t" {
  ec2 {
%s
  }
}
vm "one" {
  template  = template.t
  cpu       = 2
  memory_gb = 2
  disk_gb   = 10
}
`, s.URL, body, tmpl)
}

// TestBadInput: a setting EC2 refuses is one diagnostic that names it,
// from plan and apply alike (apply only where the plan cannot know),
// exit code 1, and no instance launched.
func TestBadInput(t *testing.T) {
	s := startServer(t, ec2test.Options{})
	ami := fmt.Sprintf("ami = %q", ec2test.ImageX86)
	both := [][]string{{"plan"}, {"apply", "-auto-approve"}}
	cases := []struct {
		name, body, tmpl string
		env              map[string]string
		cmds             [][]string
		want             []string
	}{
		{name: "no region", tmpl: ami, env: map[string]string{"AWS_REGION": "", "AWS_DEFAULT_REGION": ""}, cmds: both,
			want: []string{"Cannot open provider ec2.bad", "region is not set", "set region"}},
		{name: "credentials refused", tmpl: ami, env: map[string]string{"AWS_SECRET_ACCESS_KEY": "wrong-secret"}, cmds: both,
			want: []string{"Cannot open provider ec2.bad", "refused the credentials", "AWS_ACCESS_KEY_ID"}},
		{name: "region the credentials are not for", body: `  region = "eu-west-1"`, tmpl: ami, cmds: both,
			want: []string{"Cannot open provider ec2.bad", "refused the credentials", "region eu-west-1"}},
		{name: "unknown subnet", body: `  subnet_id = "subnet-0fffffffffffffff0"`, tmpl: ami, cmds: both,
			want: []string{"Cannot open provider ec2.bad", "subnet_id subnet-0fffffffffffffff0", "InvalidSubnetID.NotFound"}},
		{name: "unknown key pair", body: `  key_name = "nobody"`, tmpl: ami, cmds: both,
			want: []string{"Cannot open provider ec2.bad", `key_name "nobody"`, "InvalidKeyPair.NotFound"}},
		{name: "malformed security group", body: `  security_group_ids = ["default"]`, tmpl: ami, cmds: both,
			want: []string{"security_group_ids", `"default" is not an ID`}},
		{name: "unknown AMI", tmpl: `ami = "ami-00000000000000000"`, cmds: [][]string{{"apply", "-auto-approve"}},
			want: []string{"vm.one", "ami ami-00000000000000000", "InvalidAMIID.NotFound", "check ami"}},
		{name: "instance type that does not exist", tmpl: ami + "\n    instance_type = \"t9.huge\"", cmds: [][]string{{"apply", "-auto-approve"}},
			want: []string{"vm.one", "instance_type t9.huge", "check instance_type"}},
		{name: "instance type too small", tmpl: ami + "\n    instance_type = \"t3.nano\"", cmds: [][]string{{"apply", "-auto-approve"}},
			want: []string{"vm.one", "instance_type t3.nano has 2 vCPUs and 512 MiB"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			useServer(t, s)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			dir := t.TempDir()
			clitest.WriteSpec(t, dir, badSpec(s, tc.body, tc.tmpl))
			nova.Refused(t, dir, clitest.Refusal{Want: tc.want, Secrets: []string{s.SecretAccessKey, "wrong-secret"}}, tc.cmds...)
			if n := len(s.Instances()); n != 0 {
				t.Errorf("the server holds %d instances after the refused runs", n)
			}
		})
	}
}
