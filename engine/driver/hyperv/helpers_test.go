package hyperv

import (
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/drivertest"
	"github.com/novacron/novacron/internal/hypervtest"
)

// startServer starts a test server for one test; when the test ends it
// fails the test on anything the server refused as unknown, and stops it.
func startServer(t testing.TB, o hypervtest.Options) *hypervtest.Server {
	t.Helper()
	s, err := hypervtest.Start(o)
	if err != nil {
		t.Fatalf("starting the WS-Management test server: %v", err)
	}
	t.Cleanup(func() {
		for _, u := range s.Unexpected() {
			t.Errorf("the test server refused: %s", u)
		}
		s.Close()
	})
	return s
}

// serverConfig is a provider block on the server's two hosts, with the
// default auth, NTLM.
func serverConfig(s *hypervtest.Server) driver.Config {
	return driver.Config{
		settingURL: s.URL, settingUsername: s.User, settingPassword: s.Password,
		settingCAFile: s.CAFile, settingHosts: []string{"HV1", "HV2"}, settingSwitch: hypervtest.Switch,
		settingPath: `C:\VMs`,
	}
}

// openDriver opens a driver and closes it when the test ends.
func openDriver(t testing.TB, cfg driver.Config) *Driver {
	t.Helper()
	return drivertest.Open(t, Open, cfg)
}

// testTemplate is the server's 1 GiB template VHDX.
var testTemplate = driver.TemplateRef{Name: "tiny", Config: driver.Config{tmplVHDX: hypervtest.Template}}

// testSpec is a small running VM with a marker and tags.
func testSpec(name string) driver.VMSpec { return drivertest.Spec(name, 1, 1024, testTemplate) }
