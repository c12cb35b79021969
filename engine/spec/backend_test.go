package spec

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

// ReadBackend reads the novacron block's backend, with literal values only.
func TestReadBackend(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  *BackendConfig // Ranges and DeclRange are not compared
	}{
		{"no block", map[string]string{"main.nova.hcl": simPreamble}, &BackendConfig{Type: "local", Settings: map[string]string{}}},
		{"no spec files", map[string]string{}, &BackendConfig{Type: "local", Settings: map[string]string{}}},
		{"pg", map[string]string{
			"main.nova.hcl":     simPreamble,
			"settings.nova.hcl": "novacron {\n  backend \"pg\" {\n    schema = \"fleet_${\"prod\"}\"\n  }\n}\n",
		}, &BackendConfig{Type: "pg", Settings: map[string]string{"schema": "fleet_prod"}}},
		{"local path", map[string]string{"main.nova.hcl": "novacron {\n  backend \"local\" { path = \"../state\" }\n}\n"},
			&BackendConfig{Type: "local", Settings: map[string]string{"path": "../state"}}},
		{"empty novacron block", map[string]string{"main.nova.hcl": "novacron {}\n"}, &BackendConfig{Type: "local", Settings: map[string]string{}}},
		{"encryption required", map[string]string{"main.nova.hcl": "novacron {\n  encryption {\n    required = true\n  }\n  backend \"pg\" {}\n}\n"},
			&BackendConfig{Type: "pg", Settings: map[string]string{}, Encryption: EncryptionSetting{Required: true}}},
		{"encryption not required", map[string]string{"main.nova.hcl": "novacron {\n  encryption {\n    required = \"false\"\n  }\n}\n"},
			&BackendConfig{Type: "local", Settings: map[string]string{}}},
		{"empty encryption block", map[string]string{"main.nova.hcl": "novacron {\n  encryption {}\n}\n"},
			&BackendConfig{Type: "local", Settings: map[string]string{}}},
		{"policy dir", map[string]string{"main.nova.hcl": "novacron {\n  policy {\n    dir = \"policy\"\n  }\n}\n"},
			&BackendConfig{Type: "local", Settings: map[string]string{}, Policy: PolicySetting{Dir: "policy"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, diags := ReadBackend(writeSpec(t, tt.files))
			if diags.HasErrors() {
				t.Fatalf("ReadBackend: %v", diags)
			}
			got.Ranges, got.DeclRange, got.Encryption.Range, got.Policy.Range = nil, hcl.Range{}, hcl.Range{}, hcl.Range{}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// Each mistake in a backend block is an error at its place.
func TestReadBackendDiagnostics(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // file:line,col: summary
	}{
		{"variable", map[string]string{"main.nova.hcl": `variable "s" { default = "x" }
novacron {
  backend "pg" {
    schema = var.s
  }
}
`}, []string{"main.nova.hcl:4,14: Backend settings must be literal values"}},
		{"local", map[string]string{"main.nova.hcl": `locals { s = "x" }
novacron {
  backend "pg" {
    schema = "a-${local.s}"
  }
}
`}, []string{"main.nova.hcl:4,19: Backend settings must be literal values"}},
		{"function", map[string]string{"main.nova.hcl": `novacron {
  backend "pg" {
    schema = lower("A")
  }
}
`}, []string{"main.nova.hcl:3,14: Function calls not allowed"}},
		{"unknown type", map[string]string{"main.nova.hcl": `novacron {
  backend "s3" {}
}
`}, []string{"main.nova.hcl:2,11: Unknown backend type"}},
		{"unknown keys", map[string]string{"main.nova.hcl": `novacron {
  backend "pg" {
    schema   = "a"
    password = "b"
    host     = "c"
  }
}
`}, []string{"main.nova.hcl:5,5: Unknown backend setting", "main.nova.hcl:4,5: Unknown backend setting"}},
		{"local takes path only", map[string]string{"main.nova.hcl": `novacron {
  backend "local" {
    conn_str = "x"
  }
}
`}, []string{"main.nova.hcl:3,5: Unknown backend setting"}},
		{"two novacron blocks", map[string]string{
			"a.nova.hcl": "novacron {\n  backend \"local\" {}\n}\n",
			"b.nova.hcl": "\n\nnovacron {\n}\n",
		}, []string{"b.nova.hcl:3,1: Duplicate novacron block"}},
		{"two backends", map[string]string{"main.nova.hcl": `novacron {
  backend "local" {}
  backend "pg" {}
}
`}, []string{"main.nova.hcl:3,3: Duplicate backend block"}},
		{"not a string", map[string]string{"main.nova.hcl": `novacron {
  backend "pg" {
    schema = ["a"]
  }
}
`}, []string{"main.nova.hcl:3,14: Invalid backend setting"}},
		{"unknown argument", map[string]string{"main.nova.hcl": `novacron {
  required_version = "1"
}
`}, []string{"main.nova.hcl:2,3: Unsupported argument"}},
		{"encryption required from a variable", map[string]string{"main.nova.hcl": `variable "x" { default = true }
novacron {
  encryption {
    required = var.x
  }
}
`}, []string{"main.nova.hcl:4,16: Invalid encryption setting"}},
		{"encryption required not a bool", map[string]string{"main.nova.hcl": `novacron {
  encryption {
    required = "yes"
  }
}
`}, []string{"main.nova.hcl:3,16: Invalid encryption setting"}},
		{"encryption unknown setting", map[string]string{"main.nova.hcl": `novacron {
  encryption {
    key = "abc"
  }
}
`}, []string{"main.nova.hcl:3,5: Unsupported argument"}},
		{"two encryption blocks", map[string]string{"main.nova.hcl": `novacron {
  encryption {}
  backend "local" {}
  encryption { required = true }
}
`}, []string{"main.nova.hcl:4,3: Duplicate encryption block"}},
		{"policy dir from a variable", map[string]string{"main.nova.hcl": `variable "x" { default = "p" }
novacron {
  policy { dir = var.x }
}
`}, []string{"main.nova.hcl:3,18: Invalid policy setting"}},
		{"policy dir empty", map[string]string{"main.nova.hcl": `novacron {
  policy { dir = "" }
}
`}, []string{"main.nova.hcl:2,18: Invalid policy setting"}},
		{"policy without dir", map[string]string{"main.nova.hcl": `novacron {
  policy {}
}
`}, []string{"main.nova.hcl:2,10: Missing required argument"}},
		{"two policy blocks", map[string]string{"main.nova.hcl": `novacron {
  policy { dir = "a" }
  policy { dir = "b" }
}
`}, []string{"main.nova.hcl:3,3: Duplicate policy block"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, diags := ReadBackend(writeSpec(t, tt.files))
			if cfg != nil {
				t.Errorf("ReadBackend returned %+v along with errors", cfg)
			}
			var got []string
			for _, d := range diags {
				got = append(got, fmt.Sprintf("%s:%d,%d: %s", filepath.Base(d.Subject.Filename), d.Subject.Start.Line, d.Subject.Start.Column, d.Summary))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// A duplicate names where the first one is.
func TestReadBackendDuplicateNamesBoth(t *testing.T) {
	dir := writeSpec(t, map[string]string{
		"a.nova.hcl": "novacron {\n  backend \"local\" {}\n}\n",
		"b.nova.hcl": "novacron {\n  backend \"local\" {}\n}\n",
	})
	_, diags := ReadBackend(dir)
	if len(diags) != 2 {
		t.Fatalf("diagnostics %v, want the duplicate novacron block (and its backend)", diags)
	}
	d := diags[0]
	if first := filepath.Join(dir, "a.nova.hcl") + ":1,1-9"; !strings.Contains(d.Detail, first) || !strings.HasSuffix(d.Subject.Filename, "b.nova.hcl") {
		t.Errorf("%s at %s: want the subject in b.nova.hcl and the detail naming %s", d.Detail, d.Subject, first)
	}
}

// The full loader accepts the block, and a spec file that holds a
// password in conn_str never shows it in a snippet.
func TestLoadAcceptsNovacronBlockAndMasksConnStr(t *testing.T) {
	files := map[string]string{"main.nova.hcl": simPreamble + `
novacron {
  backend "pg" {
    conn_str = "postgres://u:SECRETPW@db/x" 
    schema   = "a"
  }
}
fleet "web" {
  count = "many" # line 14
  template = template.ubuntu-22.04
  cpu = 1
  memory_gb = 1
}
`}
	l := NewLoader()
	dir := writeSpec(t, files)
	if _, diags := l.ReadBackend(dir); diags.HasErrors() {
		t.Fatalf("ReadBackend: %v", diags)
	}
	for name, f := range l.Files() {
		if strings.Contains(string(f.Bytes), "SECRETPW") {
			t.Errorf("ReadBackend's file %s shows the password:\n%s", name, f.Bytes)
		}
	}
	_, diags := l.Load(dir, Options{Registry: simRegistry()})
	if !diags.HasErrors() || diags[0].Subject.Start.Line != 14 {
		t.Fatalf("Load: %v; want only the error about count on line 14", diags)
	}
	for name, f := range l.Files() {
		if strings.Contains(string(f.Bytes), "SECRETPW") {
			t.Errorf("Load's file %s shows the password:\n%s", name, f.Bytes)
		}
	}
}

// A file that does not parse still has its conn_str line masked.
func TestBrokenFileMasksConnStr(t *testing.T) {
	dir := writeSpec(t, map[string]string{"main.nova.hcl": "novacron {\n  backend \"pg\" {\n    conn_str = \"postgres://u:SECRETPW@db/x\" }}}\n"})
	l := NewLoader()
	if _, diags := l.ReadBackend(dir); !diags.HasErrors() {
		t.Fatal("ReadBackend of a broken file: no error")
	}
	for name, f := range l.Files() {
		if strings.Contains(string(f.Bytes), "SECRETPW") {
			t.Errorf("file %s shows the password:\n%s", name, f.Bytes)
		}
	}
}
