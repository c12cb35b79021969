package provider

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/catalog"
)

// The acceptance tests run the real Terraform CLI (1.11.4 on these
// machines) against this provider served in the test process, on the sim
// backend, offline. They never skip: without Terraform they fail, naming
// what is missing.

// TestMain sets the environment terraform-plugin-testing needs and fails
// at once, with a clear message, when the Terraform CLI is missing.
func TestMain(m *testing.M) {
	if err := accEnv(); err != nil {
		fmt.Fprintln(os.Stderr, "provider acceptance tests:", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

func accEnv() error {
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tf == "" {
		found, err := exec.LookPath("terraform")
		if err != nil {
			return fmt.Errorf("the Terraform CLI is missing: it was not found on PATH and TF_ACC_TERRAFORM_PATH is not set. " +
				"Install Terraform 1.11.4 (these machines have it at /usr/local/bin/terraform) or set TF_ACC_TERRAFORM_PATH")
		}
		tf = found
	}
	if _, err := os.Stat(tf); err != nil {
		return fmt.Errorf("the Terraform CLI is missing: TF_ACC_TERRAFORM_PATH=%s: %v", tf, err)
	}
	cfg := filepath.Join(os.TempDir(), "novacron-acc-empty.tfrc")
	if err := os.WriteFile(cfg, nil, 0o644); err != nil {
		return err
	}
	// The acceptance tests are part of every test run: no opt-in needed.
	for k, v := range map[string]string{
		"TF_ACC": "1", "TF_ACC_TERRAFORM_PATH": tf, "CHECKPOINT_DISABLE": "1", "TF_CLI_CONFIG_FILE": cfg,
	} {
		if os.Getenv(k) == "" || k == "TF_CLI_CONFIG_FILE" {
			os.Setenv(k, v)
		}
	}
	return nil
}

// testRegistry is the built-in drivers plus the fault-injecting wrapper
// of the sim used by the partial-failure tests.
func testRegistry() *driver.Registry {
	reg := catalog.Default()
	reg.Register(faultyFactory())
	return reg
}

// factories serve a new provider instance per terraform command, as
// Terraform does; instances share the process's driver pool.
func factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"novacron": providerserver.NewProtocol6WithError(NewWithRegistry("test", testRegistry())()),
	}
}

// testDir is a data folder for one test; the drivers the test opened in it
// are closed before it is removed.
func testDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Cleanup(func() {
		if err := drivers.closeWhere(func(d string) bool { return d == dir }); err != nil {
			t.Errorf("closing the test's backends: %v", err)
		}
	})
	return dir
}

// providerBlock is a provider configuration with one sim backend "lab".
func providerBlock(dir string, simSettings ...string) string {
	return fmt.Sprintf(`
provider "novacron" {
  data_dir = %q
  sim {
    name = "lab"
    %s
  }
}
`, dir, strings.Join(simSettings, "\n    "))
}

// pooledDriver returns the driver the provider opened for backend key (TYPE.NAME)
// in dir: out-of-band changes go through it, as another tool would change
// the VMs.
func pooledDriver(t *testing.T, dir, key string) driver.Driver {
	t.Helper()
	drivers.mu.Lock()
	defer drivers.mu.Unlock()
	e := drivers.open[dir+"\x00"+key]
	if e == nil {
		t.Fatalf("backend %s in %s is not open", key, dir)
	}
	return e.d
}

// liveVMs returns the backend's VMs by name.
func liveVMs(t *testing.T, dir, key string) map[string]driver.VM {
	t.Helper()
	inv, err := pooledDriver(t, dir, key).Inventory(context.Background())
	if err != nil {
		t.Fatalf("inventory: %v", err)
	}
	out := make(map[string]driver.VM, len(inv.VMs))
	for _, vm := range inv.VMs {
		out[vm.Name] = vm
	}
	return out
}

// liveVM returns the named VM, failing when it does not exist.
func liveVM(t *testing.T, dir, key, name string) driver.VM {
	t.Helper()
	vm, ok := liveVMs(t, dir, key)[name]
	if !ok {
		t.Fatalf("no VM named %s in %s", name, key)
	}
	return vm
}

// ownImportID is the import ID of resource addr's own VM(s) NAME on
// backend: BACKEND/NAME@LINEAGE with the resource's lineage (an import
// takes over VMs another owner's marker claims only when told whose).
func ownImportID(addr, backend, name string) resource.ImportStateIdFunc {
	return func(s *terraform.State) (string, error) {
		r := s.RootModule().Resources[addr]
		if r == nil {
			return "", fmt.Errorf("%s is not in state", addr)
		}
		return backend + "/" + name + "@" + r.Primary.Attributes["lineage"], nil
	}
}

// lineageOf is a check that keeps resource addr's lineage in *into.
func lineageOf(addr string, into *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		*into = s.RootModule().Resources[addr].Primary.Attributes["lineage"]
		return nil
	}
}

// undoImports puts back the lineage of the named VMs of the backend:
// an import step takes the VMs it imports over (their markers), and
// terraform-plugin-testing then throws the import's state away, so the
// resource would find its VMs taken over. (A user who imports a VM
// elsewhere moves it there, and the former owner leaves it alone.)
func undoImports(t *testing.T, dir, key string, lineage *string, names ...string) func() {
	return func() {
		d := pooledDriver(t, dir, key)
		for _, vm := range liveVMs(t, dir, key) {
			if vm.Marker == nil || vm.Marker.Lineage == *lineage || !slices.Contains(names, vm.Name) {
				continue
			}
			m := *vm.Marker
			m.Lineage = *lineage
			if _, err := d.Update(context.Background(), vm.ID, driver.Changes{Marker: &m}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// checkMarkers checks that every VM of the backend carries resource
// addr's lineage in its marker.
func checkMarkers(t *testing.T, dir, key, addr string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		lineage := s.RootModule().Resources[addr].Primary.Attributes["lineage"]
		if lineage == "" {
			return fmt.Errorf("%s has no lineage", addr)
		}
		for name, vm := range liveVMs(t, dir, key) {
			if vm.Marker == nil || vm.Marker.Lineage != lineage {
				return fmt.Errorf("VM %s carries marker %+v, want lineage %s", name, vm.Marker, lineage)
			}
		}
		return nil
	}
}
