package gce

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
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
	// foreign is a web server that is no Compute Engine: plain 404s.
	foreign := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(foreign.Close)
	foreignHost := strings.TrimPrefix(foreign.URL, "http://")
	cases := []struct {
		name, body, tmpl, vm string
		// "wrong": a key the server does not know; "missing": a file that
		// is not there; "badkey": a key file whose private_key is no key
		creds   string
		want    []string
		notWant []string
		once    []string // in the quoted source line only, never in the message
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
			want: []string{"vm.one", `name "Web_1" is not a Compute Engine instance name`}, notWant: []string{"rename the fleet"}},
		// F1, F5: every zone is checked, an empty one too, and none twice.
		{name: "empty zone in zones", body: fmt.Sprintf("project = %q\n  zones = [%q, \"\"]", s.Project, s.Zones[0]), tmpl: image,
			want: []string{"main.nova.hcl line", "zones", "empty"}, notWant: []string{"panic", "goroutine"}},
		{name: "zone without a dash in zones", body: fmt.Sprintf("project = %q\n  zones = [%q, \"central\"]", s.Project, s.Zones[0]), tmpl: image,
			want: []string{"zones", `"central" is not a zone`}, notWant: []string{"panic"}},
		{name: "duplicate zones", body: fmt.Sprintf("project = %q\n  zones = [%q, %q]", s.Project, s.Zones[0], s.Zones[0]), tmpl: image,
			want: []string{"main.nova.hcl line", "zones", s.Zones[0] + " twice"}},
		// F2: http sends the bearer token in clear: loopback only, unless asked for.
		{name: "http endpoint not on loopback", body: zone + "\n  endpoint = \"http://gce.invalid/compute/v1/\"", tmpl: image,
			want: []string{"Cannot open provider gce.bad", "endpoint", "http://gce.invalid/compute/v1/", "in clear", "allow_unencrypted = true"}},
		{name: "http endpoint allowed by name", body: zone + "\n  endpoint = \"http://gce.invalid/compute/v1/\"\n  allow_unencrypted = true", tmpl: image,
			want: []string{"Cannot open provider gce.bad", "cannot reach Compute Engine at endpoint http://gce.invalid/compute/v1/"}, notWant: []string{"in clear"}},
		{name: "endpoint that is no Compute Engine", body: zone + fmt.Sprintf("\n  endpoint = %q", foreign.URL+"/compute/v1/"), tmpl: image,
			want:    []string{"Cannot open provider gce.bad", foreignHost + " answered 404 Not Found", "no Compute Engine error", "check endpoint"},
			notWant: []string{"404 :", "check zone"}},
		// F3: no query, fragment or user in the endpoint, and none echoed.
		{name: "endpoint with a query", body: zone + "\n  endpoint = \"https://127.0.0.1:1/compute/v1/?token=s3cretq\"", tmpl: image,
			want: []string{"main.nova.hcl line", "endpoint", "query"}, once: []string{"s3cretq"}},
		{name: "endpoint with a fragment", body: zone + "\n  endpoint = \"https://127.0.0.1:1/compute/v1/#s3cretf\"", tmpl: image,
			want: []string{"main.nova.hcl line", "endpoint", "fragment"}, once: []string{"s3cretf"}},
		{name: "endpoint with a password", body: zone + "\n  endpoint = \"https://u:s3cretp@127.0.0.1:1/compute/v1/\"", tmpl: image,
			want: []string{"main.nova.hcl line", "endpoint", "user name or password"}, once: []string{"s3cretp"}},
		// F6: every bad tag at once, and the name's and host's problems with them.
		{name: "every bad tag", body: zone, tmpl: image, vm: `  tags = { Tier = "web", owner = "a b", "1abc" = "x", ok = "fine" }`,
			want: []string{"vm.one", `tag "Tier"`, `tag "owner" = "a b"`, `tag "1abc"`, "tags"}, notWant: []string{`"ok"`}},
		{name: "bad name, host and tag together", body: zone, tmpl: image, vm: "  name = \"a.b_c\"\n  host = \"europe-west1-b\"\n  tags = { Tier = \"web\" }",
			want: []string{"vm.one", "3 problems", `name "a.b_c"`, "(set name)", `host "europe-west1-b"`, `tag "Tier"`}, notWant: []string{"rename the fleet"}},
		// F7: a key file whose key is no key is a credentials problem.
		{name: "malformed private key", body: zone, tmpl: image, creds: "badkey",
			want:    []string{"Cannot open provider gce.bad", "GOOGLE_APPLICATION_CREDENTIALS=", "private_key", "no usable private key"},
			notWant: []string{"cannot reach", "asn1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			useServer(t, s, tc.creds == "wrong")
			switch tc.creds {
			case "missing":
				t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", t.TempDir()+"/absent.json")
			case "badkey":
				breakKey(t, useServer(t, s, false))
			}
			dir := t.TempDir()
			clitest.WriteSpec(t, dir, badSpec(s, tc.body, tc.tmpl, tc.vm))
			refusal := clitest.Refusal{Want: tc.want, NotWant: tc.notWant, Once: tc.once, Secrets: []string{"PRIVATE KEY"}}
			nova.Refused(t, dir, refusal, []string{"plan"}, []string{"apply", "-auto-approve"})
			if n := len(s.Instances()); n != 0 {
				t.Errorf("the server holds %d instances after the refused runs", n)
			}
		})
	}
}

// breakKey replaces the private key of the key file at path with a PEM
// block that holds no key.
func breakKey(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f map[string]string
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	f["private_key"] = "-----BEGIN PRIVATE KEY-----\nAAECAwQFBgcICQ==\n-----END PRIVATE KEY-----\n"
	if b, err = json.Marshal(f); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
