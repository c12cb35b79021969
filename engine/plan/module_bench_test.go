package plan_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/sim"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// moduleFleetSpec writes a spec of one 10,000-VM fleet: declared in the
// root (inModule false), or in a module the root calls with for_each over
// one environment, so that every address carries module.env["prod"].
func moduleFleetSpec(tb testing.TB, inModule bool) string {
	tb.Helper()
	dir := tb.TempDir()
	fleet := bigSpec(1, 10000)
	files := map[string]string{"main.nova.hcl": header + fleet}
	if inModule {
		files = map[string]string{
			"main.nova.hcl":           header + "module \"env\" {\n  for_each = toset([\"prod\"])\n  source   = \"./modules/tier\"\n}\n",
			"modules/tier/t.nova.hcl": fleet,
		}
	}
	for name, src := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

func loadDir(tb testing.TB, dir string) *spec.Spec {
	tb.Helper()
	reg := &driver.Registry{}
	reg.Register(sim.Factory())
	s, diags := spec.NewLoader().Load(dir, spec.Options{Registry: reg})
	if diags.HasErrors() {
		tb.Fatalf("loading the spec: %v", diags)
	}
	return s
}

// BenchmarkModuleFleet10k loads and plans (no changes) a 10,000-VM fleet
// at the root and the same fleet inside a module: the module's cost must
// be per module, not per instance. Compare root/ and module/ of one run.
func BenchmarkModuleFleet10k(b *testing.B) {
	for _, tc := range []struct {
		name     string
		inModule bool
	}{{"root", false}, {"module", true}} {
		dir := moduleFleetSpec(b, tc.inModule)
		b.Run("load/"+tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				loadDir(b, dir)
			}
		})
		s := loadDir(b, dir)
		f := &fixture{spec: s, state: state.New(lineage), hosts: hosts(4), caps: simCaps}
		for _, fl := range s.Fleets {
			for _, inst := range fl.Instances {
				vm := liveVM(inst, "vm-"+strings.Repeat("0", 1)+inst.Name)
				f.vms = append(f.vms, vm)
				f.state.VMs[inst.Address] = record(inst, vm)
			}
		}
		in := f.input()
		if p := mustDiff(b, in); !p.Empty() || len(f.vms) != 10000 {
			b.Fatalf("want 10,000 VMs and no changes; got %d VMs and %d changes", len(f.vms), len(p.Changes))
		}
		if tc.inModule && !strings.HasPrefix(s.Fleets[0].Instances[0].Address, `module.env["prod"].fleet.`) {
			b.Fatalf("address %s is not in the module", s.Fleets[0].Instances[0].Address)
		}
		b.Run("plan/"+tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				plan.Diff(in)
			}
		})
	}
}
