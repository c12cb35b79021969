package spec

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// validatedVar is vars.nova.hcl: the default (line 3) fails the first rule.
const validatedVar = `variable "n" {
  type    = number
  default = 600
  validation {
    condition     = var.n <= 500
    error_message = "At most 500 web VMs, got ${var.n}."
  }
  validation {
    condition     = floor(var.n) == var.n
    error_message = "A whole number."
  }
}
`

func validatedSpec() map[string]string {
	return map[string]string{
		"vars.nova.hcl": validatedVar,
		"main.nova.hcl": simPreamble + `
fleet "web" {
  count = var.n
  template = template.ubuntu-22.04
  cpu = 1
  memory_gb = 1
}`,
	}
}

func TestVariableValidation(t *testing.T) {
	file := writeVarFile(t, "\n\nn = 700\n")
	tests := []struct {
		name     string
		opts     Options
		wantFile string
		wantLine int
		wantMsg  []string // the error_message of each failing rule
	}{
		{"default", Options{}, "vars.nova.hcl", 3, []string{"At most 500 web VMs, got 600."}},
		{"-var", Options{Vars: []VarArg{{Name: "n", Value: "501"}}}, "<value for var.n>", 1, []string{"At most 500 web VMs, got 501."}},
		{"environment", Options{Env: []string{"NOVA_VAR_n=502"}}, "<value for var.n>", 1, []string{"At most 500 web VMs, got 502."}},
		{"var file", Options{Vars: []VarArg{{File: file}}}, "values.novavars", 3, []string{"At most 500 web VMs, got 700."}},
		{"saved value", Options{Values: map[string]cty.Value{"n": cty.NumberIntVal(900)}}, "vars.nova.hcl", 1, []string{"At most 500 web VMs, got 900."}},
		{"both rules fail", Options{Vars: []VarArg{{Name: "n", Value: "600.5"}}}, "<value for var.n>", 1,
			[]string{"A whole number.", "At most 500 web VMs, got 600.5."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diags := mustFail(t, validatedSpec(), tt.opts)
			var msgs []string
			for _, d := range diags {
				if d.Summary != "Invalid value for variable" {
					t.Errorf("unexpected diagnostic: %s", renderDiag(d, ""))
					continue
				}
				subjectAt(t, d, tt.wantFile, tt.wantLine)
				msg, rule, _ := strings.Cut(d.Detail, "\n\n")
				msgs = append(msgs, msg)
				if !strings.Contains(rule, "vars.nova.hcl:5,") && !strings.Contains(rule, "vars.nova.hcl:9,") {
					t.Errorf("detail does not point at the rule's condition: %q", rule)
				}
			}
			if diff := cmp.Diff(tt.wantMsg, msgs, sortStrings); diff != "" {
				t.Errorf("error messages (-want +got):\n%s", diff)
			}
		})
	}
}

var sortStrings = cmpopts.SortSlices(func(a, b string) bool { return a < b })

func TestVariableValidationPasses(t *testing.T) {
	s := mustLoad(t, validatedSpec(), Options{Vars: []VarArg{{Name: "n", Value: "3"}}})
	if n := len(s.Fleets[0].Instances); n != 3 {
		t.Errorf("%d instances, want 3", n)
	}
}

func TestVariableValidationErrors(t *testing.T) {
	for name, rule := range map[string]string{
		"condition not a bool":                 "condition = \"maybe\"\n error_message = \"m\"",
		"condition refers to another variable": "condition = var.other > 1\n error_message = \"m\"",
		"missing error_message":                "condition = true",
	} {
		t.Run(name, func(t *testing.T) {
			diags := mustFail(t, map[string]string{"vars.nova.hcl": `variable "other" {
  default = 1
}
variable "n" {
  default = 1
  validation {
   ` + rule + `
  }
}`, "main.nova.hcl": simPreamble}, Options{})
			for _, d := range diags {
				if d.Severity == hcl.DiagError && (d.Subject == nil || filepath.Base(d.Subject.Filename) != "vars.nova.hcl" || d.Subject.Start.Line < 6) {
					t.Errorf("error not in the validation block: %s", renderDiag(d, ""))
				}
			}
		})
	}
}
