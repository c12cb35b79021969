package xen

import (
	"testing"
	"time"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/drivertest"
	"github.com/novacron/novacron/internal/xentest"
)

// The tests run the driver against internal/xentest, a strict XenAPI
// JSON-RPC server over TLS in this process; the driver trusts its
// certificate through ca_file.

// startServer starts a test server for one test and fails the test when
// the server saw a call it does not know.
func startServer(t testing.TB, o xentest.Options) *xentest.Server {
	t.Helper()
	s := xentest.Start(o)
	t.Cleanup(func() {
		s.Close()
		if u := s.Unexpected(); len(u) > 0 {
			t.Errorf("the XenAPI test server refused calls: %q", u)
		}
	})
	return s
}

// serverConfig is a provider block on the server, polling fast.
func serverConfig(t testing.TB, s *xentest.Server) driver.Config {
	t.Helper()
	ca, err := s.WriteCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return driver.Config{
		settingURL: s.URL, settingUsername: s.Username, settingPassword: s.Password, settingCAFile: ca,
		settingPollInterval: 2 * time.Millisecond, settingShutdown: 200 * time.Millisecond,
		settingMaxCPU: int64(8), settingMaxMemory: float64(8),
	}
}

// openDriver opens a driver on cfg and closes it when the test ends.
func openDriver(t testing.TB, cfg driver.Config) *Driver {
	t.Helper()
	return drivertest.Open(t, Open, cfg)
}

// testTemplate clones the server's template.
var testTemplate = driver.TemplateRef{Name: "debian", Config: driver.Config{tmplTemplate: xentest.TemplateName}}

// testSpec is a small running VM with a marker and tags.
func testSpec(name string) driver.VMSpec { return drivertest.Spec(name, 2, 2048, testTemplate) }
