package spec

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// FuzzLoad writes arbitrary bytes as a spec file and loads it. Whatever the
// input, Load must not panic, must return a Spec exactly when there are no
// errors, and every error must point into a file. A spec that loads must
// also format and evaluate its outputs without panicking.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "valid", "*"+FileSuffix))
	bad, _ := filepath.Glob(filepath.Join("testdata", "diagnostics", "*", "*"+FileSuffix))
	for _, p := range append(seeds, bad...) {
		src, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	for _, src := range []string{digestSpec, outputSpec, secretVars + simPreamble, validatedVar + simPreamble} {
		f.Add([]byte(src))
	}
	reg := simRegistry()
	f.Fuzz(func(t *testing.T, src []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main"+FileSuffix), src, 0o644); err != nil {
			t.Fatal(err)
		}
		s, diags := NewLoader().Load(dir, Options{Registry: reg, Env: []string{"NOVA_VAR_token=s3cret"}})
		if diags.HasErrors() == (s != nil) {
			t.Fatalf("errors %v but Spec %v:\n%s", diags.HasErrors(), s != nil, renderDiags(diags, dir))
		}
		for _, d := range diags {
			if d.Severity == hcl.DiagError && d.Subject == nil {
				t.Errorf("error without a range: %s", renderDiag(d, dir))
			}
		}
		_, fdiags := Format(src, "main"+FileSuffix)
		if s == nil {
			return
		}
		if fdiags.HasErrors() {
			t.Errorf("the spec loads but does not format:\n%s", renderDiags(fdiags, ""))
		}
		fleets := map[string]cty.Value{}
		for _, fl := range s.Fleets {
			fleets[fl.Address()] = cty.EmptyObjectVal
		}
		s.EvalOutputs(fleets)
	})
}
