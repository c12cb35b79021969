package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSensitiveHostNamesRefused: a sensitive value in a provider setting
// that names hosts was shown in the plan, the saved plan and inventory
// (`+ host = "HUNTER2HOST"`). It is refused at the attribute, like a
// sensitive VM attribute.
func TestSensitiveHostNamesRefused(t *testing.T) {
	dir := newDir(t, `
variable "hosts" {
  type      = list(string)
  sensitive = true
}
provider "sim" "lab" {
  host_names = var.hosts
}
template "img" {
  sim { image = "ubuntu" }
}
vm "a" {
  template  = template.img
  cpu       = 1
  memory_gb = 1
}
`)
	for _, cmd := range [][]string{{"validate"}, {"plan", "-out=p.plan"}, {"apply", "-auto-approve"}, {"inventory"}} {
		r := nova(t, dir, append(cmd, "-var", `hosts=["HUNTER2HOST"]`)...).Must(t, 1, cmd[0])
		mustSay(t, r.Stderr, "Sensitive value in a shown setting", "on main.nova.hcl line 7", "host_names = var.hosts")
		if strings.Contains(r.Stdout+r.Stderr, "HUNTER2HOST") {
			t.Errorf("%s shows the sensitive host name:\n%s%s", cmd[0], r.Stdout, r.Stderr)
		}
	}
	mustNotHold(t, dir, "HUNTER2HOST")
}

// TestVarFileSnippetsMaskSensitiveValues: a -var-file's sensitive values
// were printed in diagnostic snippets (-var and NOVA_VAR_ values are
// masked): a type mismatch, a string left open, and a failed validation,
// whose source line holds the value or a comment beside it.
func TestVarFileSnippetsMaskSensitiveValues(t *testing.T) {
	spec := `
variable "l" {
  type      = list(number)
  sensitive = true
  default   = []
}
variable "s" {
  type      = string
  sensitive = true
  default   = "x"
}
variable "n" {
  type      = number
  sensitive = true
  default   = 1
  validation {
    condition     = var.n < 10
    error_message = "At most 9."
  }
}
variable "plain" {
  type    = number
  default = 1
}
provider "sim" "lab" {}
`
	for _, tt := range []struct {
		name, file, secret string
		want               []string
	}{
		{"type mismatch", "s = \"fine value\"\nl = [1, \"HUNTER2VF\"]\n", "HUNTER2VF",
			[]string{"Invalid value for variable", "on s.nova.tfvars line 2", "2: l = ***************"}},
		{"string left open", "s = \"HUNTER2VFP\n", "HUNTER2VFP", []string{"on s.nova.tfvars line 1", "1: s =*"}},
		{"failed validation", "s = \"fine value\"\nn = 99 # HUNTER2COMMENT\n", "HUNTER2COMMENT",
			[]string{"At most 9.", "on s.nova.tfvars line 2", "2: n = *******************"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := newDir(t, spec)
			if err := os.WriteFile(filepath.Join(dir, "s.nova.tfvars"), []byte(tt.file), 0o600); err != nil {
				t.Fatal(err)
			}
			for _, cmd := range []string{"validate", "plan"} {
				r := nova(t, dir, cmd, "-var-file=s.nova.tfvars").Must(t, 1, cmd)
				mustSay(t, r.Stderr, tt.want...)
				if strings.Contains(r.Stdout+r.Stderr, tt.secret) || strings.Contains(r.Stderr, "fine value") {
					t.Errorf("%s shows a sensitive value of the file:\n%s", cmd, r.Stderr)
				}
			}
		})
	}
	// fmt does not know which variables are sensitive: it masks every
	// value of a variable file it cannot read.
	dir := newDir(t, spec)
	if err := os.WriteFile(filepath.Join(dir, "s.nova.tfvars"), []byte("s = \"HUNTER2FMT\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := nova(t, dir, "fmt", "s.nova.tfvars").Must(t, 1, "fmt")
	mustSay(t, r.Stderr, "on s.nova.tfvars line 1", "1: s =*")
	if strings.Contains(r.Stdout+r.Stderr, "HUNTER2FMT") {
		t.Errorf("fmt shows a value of the variable file:\n%s", r.Stderr)
	}
	// A value that is not sensitive is still shown.
	if err := os.WriteFile(filepath.Join(dir, "p.nova.tfvars"), []byte("plain = \"not a number\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = nova(t, dir, "validate", "-var-file=p.nova.tfvars").Must(t, 1, "validate")
	mustSay(t, r.Stderr, `1: plain = "not a number"`)
}
