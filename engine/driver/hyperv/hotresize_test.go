package hyperv

import (
	"context"
	"strings"
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/internal/hypervtest"
)

// TestHotResizeRefusedByGuest: with memory_hot_resize = true, a guest
// that refuses a runtime resize fails the update with an error that names
// the setting to unset (or a restart to plan).
func TestHotResizeRefusedByGuest(t *testing.T) {
	s := startServer(t, hypervtest.Options{})
	cfg := serverConfig(s)
	cfg[settingMemoryHot] = true
	d := openDriver(t, cfg)
	ctx := context.Background()
	vm, err := d.Create(ctx, testSpec("grow"))
	if err != nil {
		t.Fatal(err)
	}
	mem := vm.MemoryMiB * 2
	_, err = d.Update(ctx, vm.ID, driver.Changes{MemoryMiB: &mem})
	if err == nil || !strings.Contains(err.Error(), "runtime memory resize") || !strings.Contains(err.Error(), "set memory_hot_resize = false") {
		t.Fatalf("Update growing the memory of a guest without runtime resize: %v; want the guest's refusal and the setting to unset", err)
	}
}
