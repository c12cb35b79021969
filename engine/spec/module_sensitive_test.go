package spec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// TestModuleSensitiveOutputDetail: a sensitive output of a module hides
// the detail of an error only where the expression uses that output, not
// of every mistake that names the module.
func TestModuleSensitiveOutputDetail(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.nova.hcl": simPreamble + `
module "a" {
  source = "./m"
}
output "typo" {
  value = module.a.nope
}
output "whole" {
  value = module.a.secret + 1
}
`,
		"m/m.nova.hcl": `
variable "pw" {
  type      = string
  default   = "hunter2-x"
  sensitive = true
}
output "secret" {
  value     = var.pw
  sensitive = true
}
output "plain" {
  value = "x"
}
`,
	})
	s, diags := NewLoader().Load(dir, Options{Registry: simRegistry()})
	if s != nil {
		_, diags = s.EvalOutputs(map[string]cty.Value{})
	}
	got := renderDiags(diags, dir)
	if !strings.Contains(got, `"nope"`) {
		t.Errorf("module.a.nope: the detail (which output is missing) is hidden:\n%s", got)
	}
	if strings.Contains(got, "hunter2") || !strings.Contains(got, "the expression uses a sensitive value") {
		t.Errorf("module.a.secret + 1: the detail must be hidden:\n%s", got)
	}
}

// TestModuleSourceSymlinkLoop: a source that is a loop of symbolic links
// says so, rather than that it does not exist.
func TestModuleSourceSymlinkLoop(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.nova.hcl": simPreamble + "module \"m\" {\n  source = \"./loop\"\n}\n"})
	if err := os.Symlink("loop", filepath.Join(dir, "loop")); err != nil {
		t.Fatal(err)
	}
	_, diags := NewLoader().Load(dir, Options{Registry: simRegistry()})
	if got := renderDiags(diags, dir); !strings.Contains(got, "is a loop of symbolic links") {
		t.Errorf("a symlink loop as source:\n%s", got)
	}
}
