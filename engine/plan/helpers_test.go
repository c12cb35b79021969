package plan_test

import (
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/sim"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

const (
	lineage = "lin-test"
	pk      = "sim.lab"
	gib     = 1024
)

// header declares what every test spec uses: one sim provider (so fleets
// need no provider attribute) and two templates.
const header = `
provider "sim" "lab" {}
template "ubuntu" {
  sim { image = "ubuntu-22.04" }
}
template "debian" {
  sim { image = "debian-12" }
}
`

// The template IDs the sim mappings above resolve to.
const (
	ubuntuID = `image="ubuntu-22.04"`
	debianID = `image="debian-12"`
)

var ubuntu = driver.TemplateRef{Name: "ubuntu", Config: driver.Config{"image": "ubuntu-22.04"}}

// simCaps are the sim driver's capabilities: everything online.
var simCaps = driver.Capabilities{HotAddCPU: true, HotAddMemory: true, OnlineDiskGrow: true, Migrate: true, LiveMigrate: true}

// loadSpec loads header+body with the real loader and sim driver type.
func loadSpec(t testing.TB, body string) *spec.Spec {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.nova.hcl"), []byte(header+body), 0o600); err != nil {
		t.Fatal(err)
	}
	reg := &driver.Registry{}
	reg.Register(sim.Factory())
	s, diags := spec.NewLoader().Load(dir, spec.Options{Registry: reg})
	if diags.HasErrors() {
		t.Fatalf("loading the spec: %v", diags)
	}
	return s
}

// hosts returns n hosts hv-01, hv-02, … of 32 vCPU and 128 GiB.
func hosts(n int) []driver.Host {
	out := make([]driver.Host, n)
	for i := range out {
		out[i] = driver.Host{Name: fmt.Sprintf("hv-%02d", i+1), CPU: 32, MemoryMiB: 128 * gib}
	}
	return out
}

// fixture is a workspace to diff: a spec, a state, and provider sim.lab.
type fixture struct {
	spec  *spec.Spec
	state *state.State // nil: no state yet
	vms   []driver.VM
	hosts []driver.Host
	caps  driver.Capabilities
}

func (f *fixture) input() plan.Input {
	return plan.Input{
		Spec: f.spec, State: f.state, Lineage: lineage,
		Inventories:  map[string]driver.Inventory{pk: {VMs: f.vms, Hosts: f.hosts}},
		Capabilities: map[string]driver.Capabilities{pk: f.caps},
	}
}

// vm returns the live VM with the given ID.
func (f *fixture) vm(t testing.TB, id string) *driver.VM {
	t.Helper()
	for i := range f.vms {
		if f.vms[i].ID == id {
			return &f.vms[i]
		}
	}
	t.Fatalf("no live VM %s", id)
	return nil
}

// applied returns a fixture in which every instance of the spec exists as
// specified and is recorded in state: VM i (vm-0001, …) of the spec's
// instances in order sits on its pinned host, or hv-01.
func applied(t testing.TB, body string) *fixture {
	t.Helper()
	s := loadSpec(t, body)
	f := &fixture{spec: s, state: state.New(lineage), hosts: hosts(4), caps: simCaps}
	f.state.Serial = 7
	for _, fl := range s.Fleets {
		for _, inst := range fl.Instances {
			vm := liveVM(inst, fmt.Sprintf("vm-%04d", len(f.vms)+1))
			f.vms = append(f.vms, vm)
			f.state.VMs[inst.Address] = record(inst, vm)
		}
	}
	return f
}

// liveVM is the VM an apply of inst makes.
func liveVM(inst *spec.Instance, id string) driver.VM {
	host := inst.Host
	if host == "" {
		host = "hv-01"
	}
	tags := maps.Clone(inst.Tags)
	return driver.VM{
		ID: id, Name: inst.Name, Host: host, CPU: inst.CPU, MemoryMiB: inst.MemoryMiB, DiskGB: inst.DiskGB,
		Power: inst.Power, Template: inst.Fleet.TemplateRef.ID(), Tags: tags,
		Marker: &driver.Marker{Address: inst.Address, Lineage: lineage, SpecHash: plan.SpecHash(inst)},
	}
}

// record is the state record of a live VM made from inst.
func record(inst *spec.Instance, vm driver.VM) *state.VM {
	rec := &state.VM{
		Provider: inst.Fleet.Provider.Key(), ID: vm.ID, Fleet: inst.Fleet.Address(), Name: vm.Name, Host: vm.Host,
		CPU: vm.CPU, MemoryMiB: vm.MemoryMiB, DiskGB: vm.DiskGB, Power: string(vm.Power), Template: vm.Template,
		Tags: vm.Tags, DependsOn: inst.Fleet.DependsOn,
	}
	if vm.Marker != nil {
		rec.SpecHash = vm.Marker.SpecHash
	}
	return rec
}

// instance returns the spec's instance at addr.
func instance(t testing.TB, s *spec.Spec, addr string) *spec.Instance {
	t.Helper()
	for _, f := range s.Fleets {
		for _, inst := range f.Instances {
			if inst.Address == addr {
				return inst
			}
		}
	}
	t.Fatalf("no instance %s in the spec", addr)
	return nil
}

// mustDiff diffs and fails the test on error diagnostics.
func mustDiff(t testing.TB, in plan.Input) *plan.Plan {
	t.Helper()
	p, diags := plan.Diff(in)
	if diags.HasErrors() {
		t.Fatalf("Diff: %s", diagText(diags))
	}
	checkTabled(t, in, p)
	return p
}

// row is a change reduced to what most tests check.
type row struct {
	Address string
	Action  plan.Action
	ID      string
	Reasons []string
	Flags   string // restart, live, cbd, batch N, host H (where a new VM lands)
}

func rows(p *plan.Plan) []row {
	out := []row{}
	for _, c := range p.Changes {
		var flags []string
		if c.Restart {
			flags = append(flags, "restart")
		}
		if c.Live {
			flags = append(flags, "live")
		}
		if c.CreateBeforeDestroy {
			flags = append(flags, "cbd")
		}
		if c.Batch > 0 {
			flags = append(flags, fmt.Sprintf("batch %d", c.Batch))
		}
		if c.Action == plan.Create || c.Action == plan.Replace || c.Action == plan.Migrate {
			flags = append(flags, "host "+c.After.Host)
		}
		out = append(out, row{c.Address, c.Action, c.ID, c.Reasons, strings.Join(flags, ", ")})
	}
	return out
}

// diagRow is a diagnostic reduced to what a user reads.
type diagRow struct {
	Severity hcl.DiagnosticSeverity
	Summary  string
	Detail   string
	Subject  string // file:line, or "" without a subject
}

func diagRows(diags hcl.Diagnostics) []diagRow {
	var out []diagRow
	for _, d := range diags {
		subject := ""
		if d.Subject != nil {
			subject = fmt.Sprintf("%s:%d", filepath.Base(d.Subject.Filename), d.Subject.Start.Line)
		}
		out = append(out, diagRow{d.Severity, d.Summary, d.Detail, subject})
	}
	return out
}

func diagText(diags hcl.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "\n  %s: %s", d.Summary, d.Detail)
	}
	return b.String()
}
