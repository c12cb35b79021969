package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// urlSecretSpecs have a password in a url on a line a diagnostic quotes:
// a provider's url next to a bad setting, a url that is not valid, a
// variable's default of the wrong type, and a password that holds an
// escaped quote and a slash, and one without a scheme.
var urlSecretSpecs = []string{`
provider "xen" "bad" {
  url = "https://root:S3CRETPASS@xen.example"
  sr  = ""
}
`, `
provider "vsphere" "bad" {
  url = "https://root:S3CRETPASS@vc example/sdk"
}
`, `
variable "u" {
  type    = number
  default = "https://S3CRETPASS@xen.example"
}
`, `
provider "xen" "bad" {
  url = "https://root:S3CRET\"PA/SS@xen.example"
}
`, `
provider "vsphere" "bad" {
  url = "root:S3CRETPASS@vc.example"
}
`}

// TestURLPasswordNotQuoted: the source line a diagnostic quotes shows no
// password of a url in it, from every command that reads the spec, with
// and without -json; the caret still marks the value.
func TestURLPasswordNotQuoted(t *testing.T) {
	cmds := [][]string{{"validate"}, {"plan"}, {"plan", "-json"}, {"apply", "-auto-approve"}}
	for i, spec := range urlSecretSpecs {
		dir := newDir(t, spec)
		for _, cmd := range cmds {
			r := nova(t, dir, cmd...).Must(t, 1, strings.Join(cmd, " "))
			for _, secret := range []string{"S3CRET", "PA/SS", "SS@"} {
				if strings.Contains(r.Stdout+r.Stderr, secret) {
					t.Errorf("spec %d, %s: the output shows %q:\n%s%s", i, strings.Join(cmd, " "), secret, r.Stdout, r.Stderr)
				}
			}
			if !strings.Contains(r.Stderr, `"…@`) && !strings.Contains(r.Stderr, "://…@") {
				t.Errorf("spec %d, %s: the url is not quoted redacted:\n%s", i, strings.Join(cmd, " "), r.Stderr)
			}
		}
	}
}

// TestHideUserinfo: what a snippet shows of a line with URLs in it, and
// where its caret goes under a value after one.
func TestHideUserinfo(t *testing.T) {
	cases := []struct{ line, want string }{
		{`  url = "https://root:pw@xen.example"`, `  url = "https://…@xen.example"`},
		{`  url = "https://tok@h/p@q" # see ftp://a:b@c`, `  url = "https://…@q" # see ftp://…@c`},
		{`  url = "https://r:p\"w/x@h"`, `  url = "https://…@h"`},
		{`  url = "https://r:${var.p}@h"`, `  url = "https://…@h"`},
		{`  url = "root:pw@vc.example"`, `  url = "…@vc.example"`},
		{`  urls = ["https://h/a", "https://u:p@h2"]`, `  urls = ["https://h/a", "https://…@h2"]`},
		{`  email = "ops@example.net"`, `  email = "ops@example.net"`},
		{`  url = "https://xen.example"`, `  url = "https://xen.example"`},
		{`  text = <<EOT https://u:p@h`, `  text = <<EOT https://…@h`},
	}
	for _, tc := range cases {
		l := newSourceLine(tc.line)
		l.hideUserinfo()
		if diff := cmp.Diff(tc.want, strings.Join(l, "")); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.line, diff)
		}
	}
	l := newSourceLine(`  a = ["https://root:pw@h", bad]`)
	l.hideUserinfo()
	text, pad, marks := l.window(len(l)-4, len(l)-1)
	if got, want := text+"\n"+pad+strings.Repeat("^", marks), "  a = [\"https://…@h\", bad]\n"+strings.Repeat(" ", 22)+"^^^"; got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
