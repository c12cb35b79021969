package spec

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// manyLocals is a spec with n locals: independent ones, or a chain where
// each refers to the one before.
func manyLocals(n int, chain bool) string {
	var b strings.Builder
	b.WriteString(simPreamble + "locals {\n  l0 = 0\n")
	for i := 1; i < n; i++ {
		if chain {
			fmt.Fprintf(&b, "  l%d = local.l%d + 1\n", i, i-1)
		} else {
			fmt.Fprintf(&b, "  l%d = %d\n", i, i)
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// TestLocalsScaleLinearly: the memory that evaluating locals takes grows in
// proportion to their number. Building the object of every local for each
// one made it grow with the square (20,000 locals took minutes). Bytes
// allocated are counted, not time, so a busy machine cannot fail it.
func TestLocalsScaleLinearly(t *testing.T) {
	for _, chain := range []bool{false, true} {
		small, large := loadBytes(t, manyLocals(1000, chain)), loadBytes(t, manyLocals(4000, chain))
		if ratio := float64(large) / float64(small); ratio > 6 {
			t.Errorf("chain %v: 4 times the locals allocate %.1f times the memory (%d and %d bytes); linear is about 4",
				chain, ratio, small, large)
		}
	}
	s := mustLoad(t, map[string]string{"main.nova.hcl": manyLocals(4000, true)}, Options{})
	if v := s.locals["l3999"]; v.AsBigFloat().String() != "3999" {
		t.Errorf("local.l3999 = %#v, want 3999", v)
	}
}

// loadBytes returns the bytes allocated by loading src.
func loadBytes(t *testing.T, src string) uint64 {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.nova.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if _, diags := NewLoader().Load(dir, Options{Registry: simRegistry()}); diags.HasErrors() {
		t.Fatal(renderDiags(diags, dir))
	}
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// BenchmarkLocals loads a spec of 20,000 locals, independent or chained.
func BenchmarkLocals(b *testing.B) {
	for _, chain := range []bool{false, true} {
		b.Run(fmt.Sprintf("n=20000/chain=%v", chain), func(b *testing.B) {
			dir := b.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "main.nova.hcl"), []byte(manyLocals(20000, chain)), 0o644); err != nil {
				b.Fatal(err)
			}
			reg := simRegistry()
			b.ReportAllocs()
			for b.Loop() {
				if _, diags := NewLoader().Load(dir, Options{Registry: reg}); diags.HasErrors() {
					b.Fatal(renderDiags(diags, dir))
				}
			}
		})
	}
}
