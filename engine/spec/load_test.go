package spec

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const digestSpec = simPreamble + `
vm "a" {
  template  = template.ubuntu-22.04
  cpu       = 1
  memory_gb = 1
}
`

func loadDir(t *testing.T, dir string) *Spec {
	t.Helper()
	s, diags := NewLoader().Load(dir, Options{Registry: simRegistry()})
	if diags.HasErrors() {
		t.Fatalf("Load:\n%s", renderDiags(diags, dir))
	}
	return s
}

func TestDigest(t *testing.T) {
	dir := writeSpec(t, map[string]string{"main.nova.hcl": digestSpec, "notes.txt": "not a spec"})
	base := loadDir(t, dir).Digest
	if len(base) != 64 {
		t.Fatalf("Digest %q is not a hex SHA-256", base)
	}
	if again := loadDir(t, dir).Digest; again != base {
		t.Errorf("Digest changed between two loads of the same files: %s, %s", base, again)
	}
	steps := []struct {
		name   string
		change func(dir string) error
		same   bool
	}{
		{"a file that is not a spec changes", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("other"), 0o644)
		}, true},
		{"the same content written again", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "main.nova.hcl"), []byte(digestSpec), 0o644)
		}, true},
		{"a comment is added", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "main.nova.hcl"), []byte(digestSpec+"# note\n"), 0o644)
		}, false},
		{"a spec file is added", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "more.nova.hcl"), []byte("# empty\n"), 0o644)
		}, false},
		{"a spec file is renamed", func(dir string) error {
			return os.Rename(filepath.Join(dir, "main.nova.hcl"), filepath.Join(dir, "b.nova.hcl"))
		}, false},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			d := writeSpec(t, map[string]string{"main.nova.hcl": digestSpec, "notes.txt": "not a spec"})
			if err := st.change(d); err != nil {
				t.Fatal(err)
			}
			if got := loadDir(t, d).Digest; (got == base) != st.same {
				t.Errorf("Digest %s after the change, base %s; want same = %v", got, base, st.same)
			}
		})
	}
}

func TestDigestIndependentOfFolder(t *testing.T) {
	a := loadDir(t, writeSpec(t, map[string]string{"main.nova.hcl": digestSpec})).Digest
	b := loadDir(t, writeSpec(t, map[string]string{"main.nova.hcl": digestSpec})).Digest
	if a != b {
		t.Errorf("the same files in two folders digest differently: %s, %s", a, b)
	}
}

func TestLoadIgnoresOtherFiles(t *testing.T) {
	dir := writeSpec(t, map[string]string{
		"main.nova.hcl": digestSpec,
		"old.hcl":       "this is not HCL {",
		"x.nova.hcl~":   "nor this {",
	})
	if err := os.Mkdir(filepath.Join(dir, "sub.nova.hcl"), 0o755); err != nil {
		t.Fatal(err)
	}
	s := loadDir(t, dir)
	if diff := cmp.Diff([]string{"vm.a"}, []string{s.Fleets[0].Address()}); diff != "" {
		t.Error(diff)
	}
}

func TestLoadMissingFolder(t *testing.T) {
	s, diags := NewLoader().Load(filepath.Join(t.TempDir(), "nope"), Options{})
	if s != nil || diags.Errs() == nil {
		t.Fatalf("want a nil Spec and an error, got %v, %s", s, renderDiags(diags, ""))
	}
	if diff := cmp.Diff([]string{"Cannot read the spec folder"}, errorSummaries(diags)); diff != "" {
		t.Error(diff)
	}
}

func TestLoaderFilesForRendering(t *testing.T) {
	l := NewLoader()
	dir := writeSpec(t, map[string]string{"main.nova.hcl": digestSpec + "vm \"b\" {}\n"})
	_, diags := l.Load(dir, Options{Registry: simRegistry()})
	if !diags.HasErrors() {
		t.Fatal("want errors")
	}
	for _, d := range diags {
		if d.Subject != nil && l.Files()[d.Subject.Filename] == nil {
			t.Errorf("%s: the loader does not hold the file, so it cannot be rendered", renderDiag(d, dir))
		}
	}
}
