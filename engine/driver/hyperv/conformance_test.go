package hyperv

import (
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/drivertest"
	"github.com/novacron/novacron/internal/hypervtest"
)

// TestConformance runs every case of the driver suite against the
// WS-Management test server, a fresh one per case, over HTTPS with the
// server's certificate given as ca_file.
func TestConformance(t *testing.T) {
	drivertest.Run(t, drivertest.Harness{
		New: func(t *testing.T) driver.Driver {
			return openDriver(t, serverConfig(startServer(t, hypervtest.Options{})))
		},
		Template: testTemplate,
	})
}

// TestScriptsPinned: every script the driver sends is one the test server
// knows by its digest, under its own name.
func TestScriptsPinned(t *testing.T) {
	for _, name := range ScriptNames() {
		if got, ok := hypervtest.Known(Body(name)); !ok || got != name {
			t.Errorf("script %s: the test server knows it as %q (%t); update internal/hypervtest/golden.go and the script's model", name, got, ok)
		}
	}
}
