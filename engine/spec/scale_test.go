package spec

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/novacron/novacron/engine/addrs"
)

// fleetSpec is a spec of one fleet of n instances on 1,000 sim hosts, as
// the 100,000-VM benchmarks of issue 15 use. With named set, each name
// is built from count.index, so one attribute is evaluated per instance.
func fleetSpec(n int, named bool) string {
	name := ""
	if named {
		name = "  name      = \"app-${count.index}\"\n"
	}
	return fmt.Sprintf(`provider "sim" "big" {
  hosts          = 1000
  host_cpu       = 256
  host_memory_gb = 1024
}
template "base" {
  sim { image = "base" }
}
fleet "app" {
  count     = %d
%s  template  = template.base
  cpu       = 1
  memory_gb = 1
  tags      = { tier = "app" }
}
`, n, name)
}

// writeFleetSpec writes fleetSpec into a new folder.
func writeFleetSpec(tb testing.TB, n int, named bool) string {
	tb.Helper()
	dir := tb.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.nova.hcl"), []byte(fleetSpec(n, named)), 0o644); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// BenchmarkLoad100k loads a fleet of 100,000 instances: with every
// attribute static (evaluated once per fleet), and with a name that uses
// count.index (evaluated once per instance).
func BenchmarkLoad100k(b *testing.B) {
	for _, named := range []bool{false, true} {
		b.Run(fmt.Sprintf("named=%v", named), func(b *testing.B) {
			dir := writeFleetSpec(b, MaxInstances, named)
			reg := simRegistry()
			b.ReportAllocs()
			for b.Loop() {
				s, diags := NewLoader().Load(dir, Options{Registry: reg})
				if diags.HasErrors() {
					b.Fatal(renderDiags(diags, dir))
				}
				if n := len(s.Fleets[0].Instances); n != MaxInstances {
					b.Fatalf("%d instances, want %d", n, MaxInstances)
				}
			}
		})
	}
}

// TestStaticFleetCostPerInstance: in a fleet whose attributes do not refer
// to count, an instance costs a handful of allocations (its address, name
// and tags map), not an evaluation context, a count object and a
// conversion of each attribute. Allocations are counted, not time, so a
// busy machine cannot fail it.
func TestStaticFleetCostPerInstance(t *testing.T) {
	small, large := writeFleetSpec(t, 1000, false), writeFleetSpec(t, 5000, false)
	perInstance := float64(loadMallocs(t, large)-loadMallocs(t, small)) / 4000
	if perInstance > 8 {
		t.Errorf("an instance of a static fleet costs %.1f allocations; want at most 8", perInstance)
	}
}

// loadMallocs returns the number of allocations of loading dir.
func loadMallocs(t *testing.T, dir string) uint64 {
	t.Helper()
	reg := simRegistry()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, diags := NewLoader().Load(dir, Options{Registry: reg}); diags.HasErrors() {
		t.Fatal(renderDiags(diags, dir))
	}
	runtime.ReadMemStats(&after)
	return after.Mallocs - before.Mallocs
}

// TestInstanceAddressForm: instanceAddress writes count addresses itself;
// they are what addrs writes.
func TestInstanceAddressForm(t *testing.T) {
	for _, f := range []*Fleet{{Kind: KindFleet, Name: "web"}, {Kind: KindVM, Name: "db-01"}} {
		for _, i := range []int{0, 1, 9, 10, 99, 100, 12345, MaxInstances - 1} {
			want := f.Addr().Instance(addrs.IntKey(i)).String()
			if got := instanceAddress(f, f.Address(), true, false, i, ""); got != want {
				t.Errorf("instanceAddress(%s, %d) = %q, want %q", f.Address(), i, got, want)
			}
		}
		for _, k := range []string{"a", "", `say "hi"`, "tab\there"} {
			want := f.Addr().Instance(addrs.StringKey(k)).String()
			if got := instanceAddress(f, f.Address(), false, true, 0, k); got != want {
				t.Errorf("instanceAddress(%s, %q) = %q, want %q", f.Address(), k, got, want)
			}
		}
		if got := instanceAddress(f, f.Address(), false, false, 0, ""); got != f.Address() {
			t.Errorf("instanceAddress(%s) = %q without count or for_each", f.Address(), got)
		}
	}
}

// TestValidVMName: validVMName answers as VMNameRe does.
func TestValidVMName(t *testing.T) {
	names := []string{"", "a", "A", "0", "web-0", "web_1.x", "-a", ".a", "_a", "a b", "a\n", "\na",
		"é", "aé", "a\xff", "a/b", "a:b", strings.Repeat("a", 63), strings.Repeat("a", 64), "a" + strings.Repeat("-", 62)}
	alphabet := "aZ09._-/ é\x00\xff"
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		b := make([]byte, rng.IntN(70))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		names = append(names, string(b))
	}
	for _, s := range names {
		if got, want := validVMName(s), VMNameRe.MatchString(s); got != want {
			t.Errorf("validVMName(%q) = %v; VMNameRe says %v", s, got, want)
		}
	}
}
