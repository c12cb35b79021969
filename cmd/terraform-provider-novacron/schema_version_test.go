package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestResourceSchemaVersions: the provider's resources carry schema
// versions, and Terraform reads them: version 0 is upgraded by the
// provider (TestOldProviderStatePlansClean), a newer one is refused as the
// state of a newer provider, and one no provider wrote (-1, a string) as
// a damaged state file naming the field. Each refusal leaves the state as
// it is.
func TestResourceSchemaVersions(t *testing.T) {
	data := t.TempDir()
	w := bareWorkdir(t, data, `
resource "novacron_vm" "db" {
  backend   = "lab"
  name      = "db-01"
  template  = { image = "u" }
  cpu       = 1
  memory_gb = 1
}
`)
	w.run(0, "apply", "-auto-approve")
	path := filepath.Join(w.dir, "terraform.tfstate")
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const current = `"schema_version": 1`
	if !bytes.Contains(good, []byte(current)) {
		t.Fatalf("terraform.tfstate holds no %s:\n%s", current, good)
	}
	for _, tt := range []struct {
		value string
		want  []string
	}{
		{"2", []string{"Resource instance managed by newer provider version", "Upgrade the novacron provider"}},
		{"-1", []string{"Invalid state file format", "schema_version", "-1"}},
		{`"1"`, []string{"Invalid state file format", "schema_version", "string"}},
	} {
		t.Run(tt.value, func(t *testing.T) {
			spoiled := bytes.Replace(good, []byte(current), []byte(`"schema_version": `+tt.value), 1)
			if err := os.WriteFile(path, spoiled, 0o600); err != nil {
				t.Fatal(err)
			}
			out := w.run(1, "plan")
			for _, want := range tt.want {
				if !strings.Contains(out, want) {
					t.Errorf("terraform plan does not say %q:\n%s", want, out)
				}
			}
			if got, _ := os.ReadFile(path); !bytes.Equal(got, spoiled) {
				t.Error("the refused plan changed terraform.tfstate")
			}
		})
	}
	if err := os.WriteFile(path, good, 0o600); err != nil {
		t.Fatal(err)
	}
	w.run(0, "plan", "-detailed-exitcode")
}
