package gce

import (
	"testing"
	"time"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/drivertest"
	"github.com/novacron/novacron/internal/gcetest"
)

// The tests run the real REST client and auth library against
// internal/gcetest, a strict Compute Engine server in this process:
// credentials come from Application Default Credentials, a service
// account key file the server writes (its token_uri the server's), named
// by GOOGLE_APPLICATION_CREDENTIALS.

// startServer starts a test server for one test and points ADC at it.
func startServer(t testing.TB, o gcetest.Options) *gcetest.Server {
	t.Helper()
	s, err := gcetest.Start(o)
	if err != nil {
		t.Fatalf("starting the Compute Engine test server: %v", err)
	}
	t.Cleanup(func() {
		s.Close()
		if u := s.Unexpected(); len(u) > 0 {
			t.Errorf("the test server refused calls it does not know:\n%q", u)
		}
	})
	useServer(t, s, false)
	return s
}

// useServer writes the server's key file (or one it does not know) and
// names it in GOOGLE_APPLICATION_CREDENTIALS.
func useServer(t testing.TB, s *gcetest.Server, wrong bool) string {
	t.Helper()
	path, err := s.WriteCredentials(t.TempDir(), wrong)
	if err != nil {
		t.Fatalf("writing the credentials: %v", err)
	}
	t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", path)
	return path
}

// serverConfig is a provider block on the server, in its first zone,
// polling fast.
func serverConfig(s *gcetest.Server) driver.Config {
	return driver.Config{
		settingProject: s.Project, settingZone: s.Zones[0], settingEndpoint: s.Endpoint,
		settingSubnetwork: gcetest.Subnetwork, settingPollInterval: 5 * time.Millisecond,
	}
}

// openDriver opens a driver on cfg and closes it when the test ends.
func openDriver(t testing.TB, cfg driver.Config) *Driver {
	t.Helper()
	return drivertest.Open(t, Open, cfg)
}

// testTemplate boots the server's Debian image.
var testTemplate = driver.TemplateRef{Name: "debian", Config: driver.Config{tmplImage: gcetest.ImagePath}}

// testSpec is a small running VM with a marker and tags.
func testSpec(name string) driver.VMSpec { return drivertest.Spec(name, 2, 2048, testTemplate) }
