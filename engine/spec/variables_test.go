package spec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// varSpec declares one variable and a vm that shows its value in a tag, so
// a test can see the value as the fleets see it.
func varSpec(decl, tagExpr string) map[string]string {
	return map[string]string{"main.nova.hcl": simPreamble + decl + `
vm "a" {
  template = template.ubuntu-22.04
  cpu = 1
  memory_gb = 1
  tags = { v = ` + tagExpr + ` }
}`}
}

func TestVariableTypesAndDefaults(t *testing.T) {
	tests := []struct {
		name, decl, tag string
		want            string
		wantType        cty.Type
	}{
		{"number default", `variable "x" {
  type = number
  default = "3"
}`, "tostring(var.x + 1)", "4", cty.Number},
		{"string default", `variable "x" {
  type = string
  default = 7
}`, "var.x", "7", cty.String},
		{"list of string", `variable "x" {
  type = list(string)
  default = ["a", "b"]
}`, `join(",", var.x)`, "a,b", cty.List(cty.String)},
		{"map of string", `variable "x" {
  type = map(string)
  default = { k = "v" }
}`, `lookup(var.x, "k", "none")`, "v", cty.Map(cty.String)},
		{"object", `variable "x" {
  type = object({ n = number, s = string })
  default = { n = 1, s = "one" }
}`, `"${var.x.s}-${var.x.n}"`, "one-1", cty.Object(map[string]cty.Type{"n": cty.Number, "s": cty.String})},
		{"no type", `variable "x" {
  default = "any"
}`, "var.x", "any", cty.DynamicPseudoType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustLoad(t, varSpec(tt.decl, tt.tag), Options{})
			if got := s.Fleets[0].Instances[0].Tags["v"]; got != tt.want {
				t.Errorf("value seen by the vm = %q, want %q", got, tt.want)
			}
			v := s.Variables["x"]
			if !v.Type.Equals(tt.wantType) || v.Source != "default" {
				t.Errorf("Type %s, Source %q; want %s, default", v.Type.FriendlyName(), v.Source, tt.wantType.FriendlyName())
			}
		})
	}
}

// writeVarFile writes a -var-file and returns its path.
func writeVarFile(t *testing.T, src string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "values.novavars")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestVariablePrecedence(t *testing.T) {
	decl := `variable "x" {
  type = string
  default = "default"
}`
	fileA := writeVarFile(t, `x = "file-a"`)
	fileB := writeVarFile(t, `x = "file-b"`)
	env := []string{"PATH=/bin", "NOVA_VAR_x=env", "NOVA_VAR_other=ignored"}
	saved := map[string]cty.Value{"x": cty.StringVal("saved")}
	tests := []struct {
		name       string
		opts       Options
		want, from string
	}{
		{"default", Options{}, "default", "default"},
		{"environment over default", Options{Env: env}, "env", "NOVA_VAR_x"},
		{"saved values over environment", Options{Env: env, Values: saved}, "saved", "saved plan"},
		{"-var over saved values", Options{Env: env, Values: saved, Vars: []VarArg{{Name: "x", Value: "cli"}}}, "cli", "-var"},
		{"later -var-file wins", Options{Vars: []VarArg{{Name: "x", Value: "cli"}, {File: fileA}}}, "file-a", fileA},
		{"later -var wins", Options{Vars: []VarArg{{File: fileA}, {Name: "x", Value: "cli"}}}, "cli", "-var"},
		{"two files in order", Options{Vars: []VarArg{{File: fileB}, {File: fileA}}}, "file-a", fileA},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustLoad(t, varSpec(decl, "var.x"), tt.opts)
			v := s.Variables["x"]
			if got := s.Fleets[0].Instances[0].Tags["v"]; got != tt.want || v.Source != tt.from {
				t.Errorf("value %q from %q, want %q from %q", got, v.Source, tt.want, tt.from)
			}
		})
	}
}

func TestVariableComplexValuesParsedAsHCL(t *testing.T) {
	decl := `variable "tags" {
  type = map(string)
}`
	for _, opts := range []Options{
		{Vars: []VarArg{{Name: "tags", Value: `{a="b"}`}}},
		{Env: []string{`NOVA_VAR_tags={ a = "b" }`}},
		{Vars: []VarArg{{File: writeVarFile(t, "tags = {\n  a = \"b\"\n}\n")}}},
	} {
		s := mustLoad(t, varSpec(decl, `var.tags["a"]`), opts)
		if got := s.Fleets[0].Instances[0].Tags["v"]; got != "b" {
			t.Errorf("%+v: tags.a = %q, want b", opts, got)
		}
	}
}

// TestUntypedVariableFromCommandLine: a variable without a type takes a
// command-line or environment value as a string, as Terraform does.
func TestUntypedVariableFromCommandLine(t *testing.T) {
	decl := `variable "x" {}`
	for _, opts := range []Options{
		{Vars: []VarArg{{Name: "x", Value: "hello world"}}},
		{Env: []string{"NOVA_VAR_x=hello world"}},
	} {
		s := mustLoad(t, varSpec(decl, "var.x"), opts)
		if got := s.Fleets[0].Instances[0].Tags["v"]; got != "hello world" {
			t.Errorf("%+v: value %q, want %q", opts, got, "hello world")
		}
	}
	// type = any asks for HCL, as a complex type does.
	s := mustLoad(t, varSpec(`variable "x" {
  type = any
}`, `join("+", var.x)`), Options{Vars: []VarArg{{Name: "x", Value: `["a", "b"]`}}})
	if got := s.Fleets[0].Instances[0].Tags["v"]; got != "a+b" {
		t.Errorf("type = any: value %q, want a+b", got)
	}
}

func TestVariableValueErrors(t *testing.T) {
	decl := `variable "n" {
  type = number
}`
	spec := varSpec(decl, "tostring(var.n)")
	t.Run("required variable missing", func(t *testing.T) {
		d := findDiag(t, mustFail(t, spec, Options{}), "No value for required variable")
		subjectAt(t, d, "main.nova.hcl", 6)
		if !strings.Contains(d.Detail, "NOVA_VAR_n") {
			t.Errorf("detail %q does not name NOVA_VAR_n", d.Detail)
		}
	})
	t.Run("-var for an undeclared variable", func(t *testing.T) {
		diags := mustFail(t, spec, Options{Vars: []VarArg{{Name: "n", Value: "1"}, {Name: "nope", Value: "1"}}})
		if diff := cmp.Diff([]string{"Value for undeclared variable"}, errorSummaries(diags)); diff != "" {
			t.Errorf("errors (-want +got):\n%s", diff)
		}
	})
	t.Run("var file with an undeclared variable warns", func(t *testing.T) {
		file := writeVarFile(t, "n = 2\n\nnope = 1\n")
		s, diags := loadSpec(t, spec, Options{Vars: []VarArg{{File: file}}})
		if diags.HasErrors() || s == nil {
			t.Fatalf("want only a warning, got:\n%s", renderDiags(diags, ""))
		}
		want := "WARNING values.novavars:3,1: Value for undeclared variable: " +
			`The file sets "nope", but the spec declares no such variable; the value is ignored.` + "\n"
		if diff := cmp.Diff(want, renderDiags(diags, filepath.Dir(file))); diff != "" {
			t.Errorf("diagnostics (-want +got):\n%s", diff)
		}
	})
	t.Run("value of the wrong type", func(t *testing.T) {
		d := findDiag(t, mustFail(t, spec, Options{Vars: []VarArg{{Name: "n", Value: "abc"}}}), "Invalid value for variable")
		subjectAt(t, d, "<value for var.n>", 1)
	})
	t.Run("syntax error in a complex -var", func(t *testing.T) {
		diags := mustFail(t, varSpec(`variable "m" {
  type = map(string)
}`, `var.m["a"]`), Options{Vars: []VarArg{{Name: "m", Value: `{a=`}}})
		for _, d := range diags {
			if d.Severity == hcl.DiagError && (d.Subject == nil || d.Subject.Filename != "<value for var.m>") {
				t.Errorf("want only the syntax error in the value, got: %s", renderDiag(d, ""))
			}
		}
	})
}
