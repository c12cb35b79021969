package gce

import (
	"fmt"
	"strings"
	"testing"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/gcetest"
)

// badSpec is a one-VM spec with the given provider body, template body
// and VM body.
func badSpec(s *gcetest.Server, body, tmpl, vm string) string {
	if !strings.Contains(body, "endpoint") {
		body += fmt.Sprintf("\n  endpoint = %q", s.Endpoint)
	}
	return fmt.Sprintf(`
provider "gce" "bad" {
  poll_interval = "10ms"
%s
}
template "t" {
  gce {
%s
  }
}
vm "one" {
  template  = template.t
  cpu       = 2
  memory_gb = 2
  disk_gb   = 10
%s
}
`, body, tmpl, vm)
}

// TestBadInput: a setting Compute Engine refuses is one diagnostic that
// names it, from plan and apply alike, exit code 1, and no instance made.
func TestBadInput(t *testing.T) {
	s := startServer(t, gcetest.Options{})
	zone := fmt.Sprintf("project = %q\n  zone = %q", s.Project, s.Zones[0])
	image := fmt.Sprintf("image = %q", gcetest.ImagePath)
	cases := []struct {
		name, body, tmpl, vm string
		creds                string // "wrong": a key the server does not know; "missing": a file that is not there
		want                 []string
	}{
		{name: "credentials refused", body: zone, tmpl: image, creds: "wrong",
			want: []string{"Cannot open provider gce.bad", "token endpoint refused Application Default Credentials", "GOOGLE_APPLICATION_CREDENTIALS=", "invalid_grant"}},
		{name: "no credentials", body: zone, tmpl: image, creds: "missing",
			want: []string{"Cannot open provider gce.bad", "no Application Default Credentials", "set GOOGLE_APPLICATION_CREDENTIALS"}},
		{name: "unknown project", body: fmt.Sprintf("project = \"no-such-project\"\n  zone = %q", s.Zones[0]), tmpl: image,
			want: []string{"Cannot open provider gce.bad", `project "no-such-project"`, "check project"}},
		{name: "unknown zone", body: fmt.Sprintf("project = %q\n  zone = \"us-central1-z\"", s.Project), tmpl: image,
			want: []string{"Cannot open provider gce.bad", "zone us-central1-z", "check zone"}},
		{name: "malformed zone", body: fmt.Sprintf("project = %q\n  zone = \"central\"", s.Project), tmpl: image,
			want: []string{"zone", `"central" is not a zone`}},
		{name: "no zone", body: fmt.Sprintf("project = %q", s.Project), tmpl: image,
			want: []string{"Cannot open provider gce.bad", "zone is not set"}},
		{name: "unknown network", body: zone + "\n  network = \"nope\"", tmpl: image,
			want: []string{"Cannot open provider gce.bad", `network "nope"`, "check network"}},
		{name: "unknown subnetwork", body: zone + "\n  subnetwork = \"nope\"", tmpl: image,
			want: []string{"Cannot open provider gce.bad", `subnetwork "nope"`, "check subnetwork"}},
		{name: "malformed endpoint", body: zone + "\n  endpoint = \"ftp:/x\"", tmpl: image,
			want: []string{"endpoint", "not an http:// or https:// URL"}},
		{name: "unreachable endpoint", body: zone + "\n  endpoint = \"http://127.0.0.1:9/compute/v1/\"", tmpl: image,
			want: []string{"Cannot open provider gce.bad", "cannot reach Compute Engine at endpoint http://127.0.0.1:9/compute/v1/", "check endpoint"}},
		{name: "unknown image", body: zone, tmpl: `image = "projects/debian-cloud/global/images/nope-1"`,
			want: []string{"vm.one", "image projects/debian-cloud/global/images/nope-1", "notFound", "check image"}},
		{name: "unknown image family", body: zone, tmpl: `image = "projects/debian-cloud/global/images/family/nope"`,
			want: []string{"vm.one", "family/nope", "check image"}},
		{name: "malformed image", body: zone, tmpl: `image = "debian-12"`,
			want: []string{"image", `"debian-12" is not projects/PROJECT/global/images/NAME`}},
		{name: "unknown machine type", body: zone, tmpl: image + "\n    machine_type = \"e9-huge\"",
			want: []string{"vm.one", "machine_type e9-huge", "check machine_type"}},
		{name: "machine type too small", body: zone, tmpl: image + "\n    machine_type = \"e2-micro\"",
			want: []string{"vm.one", "machine_type e2-micro has 2 vCPUs and 1024 MiB"}},
		{name: "tag breaks the label rules", body: zone, tmpl: image, vm: `  tags = { Tier = "web" }`,
			want: []string{"vm.one", `tag "Tier"`, "label key"}},
		{name: "host that is none of the zones", body: zone, tmpl: image, vm: `  host = "europe-west1-b"`,
			want: []string{"vm.one", `host "europe-west1-b" is not one of provider gce.bad's zones`}},
		{name: "name is no instance name", body: zone, tmpl: image, vm: `  name = "Web_1"`,
			want: []string{"vm.one", `name "Web_1" is not a Compute Engine instance name`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			useServer(t, s, tc.creds == "wrong")
			if tc.creds == "missing" {
				t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", t.TempDir()+"/absent.json")
			}
			dir := t.TempDir()
			clitest.WriteSpec(t, dir, badSpec(s, tc.body, tc.tmpl, tc.vm))
			for _, cmd := range [][]string{{"plan"}, {"apply", "-auto-approve"}} {
				r := nova(t, dir, cmd...).Must(t, 1, strings.Join(cmd, " "))
				for _, w := range tc.want {
					if !strings.Contains(strings.ToLower(r.Stderr), strings.ToLower(w)) {
						t.Errorf("%s: stderr lacks %q:\n%s", cmd[0], w, r.Stderr)
					}
				}
				if n := strings.Count(r.Stderr, "Error:"); n != 1 {
					t.Errorf("%s: %d diagnostics, want one:\n%s", cmd[0], n, r.Stderr)
				}
				if strings.Contains(r.Stderr, "PRIVATE KEY") {
					t.Errorf("%s: stderr shows the key:\n%s", cmd[0], r.Stderr)
				}
			}
			if n := len(s.Instances()); n != 0 {
				t.Errorf("the server holds %d instances after the refused runs", n)
			}
		})
	}
}
