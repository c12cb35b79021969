package vsphere

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/vcsim"
)

// errCrash is what a crash injected by crashAt panics with.
var errCrash = errors.New("crash injected by the test")

// crashAt makes the step panic, as if the process died there, until the
// test ends.
func crashAt(t *testing.T, step string) {
	t.Helper()
	failAt = func(s string) error {
		if s == step {
			panic(errCrash)
		}
		return nil
	}
	t.Cleanup(func() { failAt = nil })
}

// crashedCreate runs Create and fails the test unless it crashed.
func crashedCreate(t *testing.T, d *Driver, spec driver.VMSpec) {
	t.Helper()
	defer func() {
		if r := recover(); r != errCrash {
			t.Fatalf("Create did not crash at %q (recovered %v)", stepCloned, r)
		}
	}()
	d.Create(context.Background(), spec)
}

// crashSpec is a fleet of count VMs on the simulator's cluster.
func crashSpec(count int) string {
	return fmt.Sprintf(`
provider "vsphere" "lab" {
  datacenter = "DC0"
  cluster    = "DC0_C0"
}
template "t" {
  vsphere { vm = "novacron-template" }
}
fleet "c" {
  count     = %d
  template  = template.t
  cpu       = 1
  memory_gb = 1
  disk_gb   = 10
  power     = "stopped"
}
`, count)
}

// TestCrashAfterClone: a Create that dies right after the clone task (as
// nova-plan killed with SIGKILL would) leaves a VM that carries its marker
// from the clone on, with nothing after the clone done: a new driver's
// inventory shows the marker, and the next nova-plan plan adopts the VM
// rather than stopping at "VM name already in use".
func TestCrashAfterClone(t *testing.T) {
	s := startSim(t, vcsim.Options{})
	useSim(t, s)
	dir := t.TempDir()
	clitest.WriteSpec(t, dir, crashSpec(1))
	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply of c[0]")
	var st struct {
		Lineage string `json:"lineage"`
	}
	raw, err := os.ReadFile(filepath.Join(dir, ".nova", "state.json"))
	if err == nil {
		err = json.Unmarshal(raw, &st)
	}
	if err != nil || st.Lineage == "" {
		t.Fatalf("reading the workspace's lineage: %v\n%s", err, raw)
	}

	crashAt(t, stepCloned)
	spec := testSpec("c-1")
	spec.Power, spec.Tags = driver.PowerStopped, nil
	spec.Template = driver.TemplateRef{Name: "t", Config: driver.Config{tmplVM: vcsim.Template, tmplLinked: false}}
	spec.Marker = driver.Marker{Address: "fleet.c[1]", Lineage: st.Lineage, SpecHash: "h"}
	crashedCreate(t, openDriver(t, simConfig(s)), spec)
	failAt = nil

	inv, err := openDriver(t, simConfig(s)).Inventory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var marker *driver.Marker
	for _, vm := range inv.VMs {
		if vm.Name == "c-1" {
			marker = vm.Marker
		}
	}
	if diff := cmp.Diff(&spec.Marker, marker); diff != "" {
		t.Errorf("the clone of a crashed Create carries (-want +got):\n%s", diff)
	}

	clitest.WriteSpec(t, dir, crashSpec(2))
	got := nova.Plan(t, dir).Actions()
	if diff := cmp.Diff([]string{"fleet.c[1] adopt"}, got); diff != "" {
		t.Errorf("the plan after the crash (-want +got):\n%s", diff)
	}
}
