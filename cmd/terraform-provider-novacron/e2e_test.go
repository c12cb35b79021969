package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/novacron/novacron/engine/driver/sim"
)

// These tests use the provider as a user would: build the binary, point a
// CLI configuration's dev_overrides at it, and run the real Terraform CLI
// on examples/terraform in a temporary folder. No `terraform init`: with
// dev_overrides Terraform 1.11 runs plan and apply without one (and init
// would try the registry, which is not reachable here).

var (
	providerDir  string // holds the built terraform-provider-novacron
	terraformBin string
)

func TestMain(m *testing.M) {
	code, err := setUp(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "terraform-provider-novacron end-to-end tests:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func setUp(m *testing.M) (int, error) {
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tf == "" {
		found, err := exec.LookPath("terraform")
		if err != nil {
			return 0, fmt.Errorf("the Terraform CLI is missing: not on PATH and TF_ACC_TERRAFORM_PATH is not set. " +
				"Install Terraform 1.11.4 (these machines have it at /usr/local/bin/terraform)")
		}
		tf = found
	}
	terraformBin = tf
	dir, err := os.MkdirTemp("", "tfp-novacron-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	providerDir = dir
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-novacron"), ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		return 0, fmt.Errorf("building the provider: %w", err)
	}
	return m.Run(), nil
}

// workdir copies examples/terraform into a new folder with a CLI
// configuration whose dev_overrides point at the built provider.
type workdir struct {
	t        *testing.T
	dir, cli string
}

func newWorkdir(t *testing.T) *workdir {
	t.Helper()
	w := &workdir{t: t, dir: t.TempDir()}
	files, err := filepath.Glob("../../examples/terraform/*.tf")
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples/terraform/*.tf: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		w.write(filepath.Base(f), string(data))
	}
	w.cli = filepath.Join(t.TempDir(), "terraform.rc")
	cfg := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"novacron/novacron\" = %q\n  }\n  direct {}\n}\n", providerDir)
	if err := os.WriteFile(w.cli, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *workdir) write(name, content string) {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.dir, name), []byte(content), 0o644); err != nil {
		w.t.Fatal(err)
	}
}

// run runs terraform and fails the test unless it exits with want; it
// returns what terraform printed, stdout then stderr.
func (w *workdir) run(want int, args ...string) string {
	w.t.Helper()
	color := []string{"-no-color"}
	if args[0] == "state" {
		color = nil // terraform state's subcommands print no colour, and take no -no-color
	}
	cmd := exec.Command(terraformBin, append(args[:1:1], append(color, args[1:]...)...)...)
	cmd.Dir = w.dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+w.cli, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		w.t.Fatalf("terraform %v: %v", args, err)
	}
	if code != want {
		w.t.Fatalf("terraform %s: exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, want, out.String(), errb.String())
	}
	return out.String() + errb.String()
}

// shown is what the tests read of `terraform show -json`.
type shown struct {
	Values *struct {
		Outputs    map[string]struct{ Value any } `json:"outputs"`
		RootModule struct {
			Resources []struct {
				Address string         `json:"address"`
				Values  map[string]any `json:"values"`
			} `json:"resources"`
		} `json:"root_module"`
	} `json:"values"`
}

func (w *workdir) show() shown {
	w.t.Helper()
	var s shown
	if err := json.Unmarshal([]byte(w.run(0, "show", "-json")), &s); err != nil {
		w.t.Fatalf("terraform show -json: %v", err)
	}
	return s
}

func (s shown) resource(addr string) map[string]any {
	if s.Values == nil {
		return nil
	}
	for _, r := range s.Values.RootModule.Resources {
		if r.Address == addr {
			return r.Values
		}
	}
	return nil
}

// fleetCPUs returns the cpu of every VM of novacron_fleet.web, by name: the
// names from state, the cpus from the backend, which must hold each VM
// state records.
func (w *workdir) fleetCPUs() map[string]float64 {
	w.t.Helper()
	fleet := w.show().resource("novacron_fleet.web")
	if fleet == nil {
		w.t.Fatal("novacron_fleet.web is not in state")
	}
	live := simVMs(w.t, filepath.Join(w.dir, ".novacron"))
	out := map[string]float64{}
	for _, v := range fleet["vms"].(map[string]any) {
		vm := v.(map[string]any)
		name := vm["name"].(string)
		if live[name].ID != vm["id"] {
			w.t.Errorf("state records VM %s as %v, the backend as %q", name, vm["id"], live[name].ID)
		}
		out[name] = float64(live[name].CPU)
	}
	return out
}

// TestExampleEndToEnd: plan, apply, a plan with nothing to do, a change,
// apply, nothing left to do, destroy — on examples/terraform.
func TestExampleEndToEnd(t *testing.T) {
	w := newWorkdir(t)
	if out := w.run(0, "plan"); !strings.Contains(out, "Plan: 2 to add, 0 to change, 0 to destroy.") {
		t.Fatalf("first plan:\n%s", out)
	}
	w.run(0, "apply", "-auto-approve")
	s := w.show()
	want := map[string]float64{"web-0": 2, "web-1": 2, "web-2": 2}
	if got := w.fleetCPUs(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("after apply, the fleet's VMs are %v, want %v", got, want)
	}
	if db := s.resource("novacron_vm.db"); db == nil || db["cpu"] != 4.0 || db["id"] == "" {
		t.Errorf("after apply, novacron_vm.db is %v", db)
	}
	w.run(0, "plan", "-detailed-exitcode")

	w.write("terraform.tfvars", "web_count = 4\nweb_cpu = 4\n")
	out := w.run(2, "plan", "-detailed-exitcode")
	if !strings.Contains(out, "1 to add, 3 to update") {
		t.Errorf("the plan of the change does not show NovaCron's summary:\n%s", out)
	}
	w.run(0, "apply", "-auto-approve")
	want = map[string]float64{"web-0": 4, "web-1": 4, "web-2": 4, "web-3": 4}
	if got := w.fleetCPUs(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("after the change, the fleet's VMs are %v, want %v", got, want)
	}
	w.run(0, "plan", "-detailed-exitcode")

	w.run(0, "destroy", "-auto-approve")
	if s := w.show(); s.Values != nil && len(s.Values.RootModule.Resources) > 0 {
		t.Errorf("after destroy, state still holds %d resources", len(s.Values.RootModule.Resources))
	}
	assertSimEmpty(t, filepath.Join(w.dir, ".novacron", "sim-lab.json"))
}

// assertSimEmpty checks the simulator's saved cluster: no VMs are left, and
// no journal either (the provider closed the simulator when Terraform
// stopped it, which folds the journal into the snapshot).
func assertSimEmpty(t *testing.T, snapshot string) {
	t.Helper()
	data, err := sim.ReadSnapshotJSON(filepath.Dir(snapshot), "lab")
	if err != nil {
		t.Fatalf("reading the simulator's snapshot: %v", err)
	}
	var snap struct {
		VMs []any `json:"vms"`
	}
	if err := json.Unmarshal(data, &snap); err != nil {
		t.Fatal(err)
	}
	if len(snap.VMs) != 0 {
		t.Errorf("the simulator still holds %d VMs after destroy", len(snap.VMs))
	}
	journal := strings.TrimSuffix(snapshot, ".json") + ".journal"
	if _, err := os.Stat(journal); !os.IsNotExist(err) {
		t.Errorf("the simulator's journal %s is still there (err %v): the provider did not close the backend", journal, err)
	}
}

// TestRegistryExamplesValidate: every example the docs show validates
// against the provider's schema.
func TestRegistryExamplesValidate(t *testing.T) {
	files, _ := filepath.Glob("../../examples/*/*/*.tf")
	provider, _ := filepath.Glob("../../examples/provider/*.tf")
	if len(files) < 4 || len(provider) == 0 {
		t.Fatalf("found only %v and %v under examples/", files, provider)
	}
	for _, f := range append(files, provider...) {
		t.Run(strings.TrimPrefix(f, "../../examples/"), func(t *testing.T) {
			w := newWorkdir(t)
			for _, old := range []string{"main.tf", "variables.tf", "outputs.tf"} {
				os.Remove(filepath.Join(w.dir, old))
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			w.write("example.tf", string(data))
			w.write("versions.tf", "terraform {\n  required_providers {\n    novacron = { source = \"novacron/novacron\" }\n  }\n}\n")
			w.run(0, "validate")
		})
	}
}
