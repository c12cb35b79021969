package drivertest

import (
	"context"
	"testing"

	"github.com/novacron/novacron/engine/driver"
)

// What a driver's own tests, beside the suite, open and create.

// Open opens a driver with a driver package's Open on cfg, as provider
// "lab", and closes it when the test ends.
func Open[D driver.Driver](t testing.TB, open func(context.Context, driver.OpenRequest) (D, error), cfg driver.Config) D {
	t.Helper()
	d, err := open(context.Background(), driver.OpenRequest{Name: "lab", Config: cfg})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// Spec is a small running VM of tmpl named name, with the user tag
// tier = "web" and a marker whose address is vm.NAME.
func Spec(name string, cpu int, memoryMiB int64, tmpl driver.TemplateRef) driver.VMSpec {
	return driver.VMSpec{
		Name: name, CPU: cpu, MemoryMiB: memoryMiB, DiskGB: 10, Power: driver.PowerRunning, Template: tmpl,
		Tags:   map[string]string{"tier": "web"},
		Marker: driver.Marker{Address: "vm." + name, Lineage: "test-lineage", SpecHash: "h"},
	}
}
