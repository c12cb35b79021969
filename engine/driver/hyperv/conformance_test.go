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
// It runs once as Hyper-V is by default, and once with guests that take
// runtime memory resize (memory_hot_resize).
func TestConformance(t *testing.T) {
	for _, hot := range []bool{false, true} {
		t.Run(map[bool]string{false: "default", true: "memory_hot_resize"}[hot], func(t *testing.T) {
			drivertest.Run(t, drivertest.Harness{
				New: func(t *testing.T) driver.Driver {
					cfg := serverConfig(startServer(t, hypervtest.Options{RuntimeMemoryResize: hot}))
					cfg[settingMemoryHot] = hot
					d := openDriver(t, cfg)
					if d.Capabilities().HotAddMemory != hot {
						t.Fatalf("HotAddMemory %t with memory_hot_resize = %t", d.Capabilities().HotAddMemory, hot)
					}
					return d
				},
				Template: testTemplate,
			})
		})
	}
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
