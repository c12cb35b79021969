package spec

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"
)

const outputSpec = simPreamble + `
variable "token" {
  type      = string
  default   = "s3cret"
  sensitive = true
}
locals {
  env = "prod"
}
fleet "web" {
  count     = 2
  template  = template.ubuntu-22.04
  cpu       = 1
  memory_gb = 1
}
vm "db-01" {
  template  = template.ubuntu-22.04
  cpu       = 1
  memory_gb = 1
}
output "web_names" {
  value       = fleet.web[*].name
  description = "The web VMs"
}
output "db" {
  value = "${vm.db-01.name}@${local.env}"
}
output "token" {
  value     = var.token
  sensitive = true
}
`

func vmObj(name string) cty.Value {
	return cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal(name)})
}

var outputFleets = map[string]cty.Value{
	"fleet.web": cty.TupleVal([]cty.Value{vmObj("web-0"), vmObj("web-1")}),
	"vm.db-01":  vmObj("db-01"),
}

func TestEvalOutputs(t *testing.T) {
	s := mustLoad(t, map[string]string{"main.nova.hcl": outputSpec}, Options{})
	if d := s.Outputs[0].Description; d != "The web VMs" {
		t.Errorf("Description = %q", d)
	}
	got, diags := s.EvalOutputs(outputFleets)
	if diags.HasErrors() {
		t.Fatalf("EvalOutputs:\n%s", renderDiags(diags, ""))
	}
	want := []OutputValue{
		{Name: "web_names", Value: cty.TupleVal([]cty.Value{cty.StringVal("web-0"), cty.StringVal("web-1")})},
		{Name: "db", Value: cty.StringVal("db-01@prod")},
		{Name: "token", Sensitive: true, Value: cty.StringVal("s3cret")},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(cty.Value.RawEquals)); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}
}

// An output showing a sensitive value without sensitive = true is an error
// at load time (validate, plan), not after an apply.
func TestOutputSensitiveWithoutFlag(t *testing.T) {
	diags := mustFail(t, map[string]string{"main.nova.hcl": outputSpec + `
output "leak" {
  value = { t = "x-${var.token}-${fleet.web[0].name}" }
}`}, Options{})
	d := findDiag(t, diags, "Output refers to sensitive values")
	subjectAt(t, d, "main.nova.hcl", 39)
	if len(diags.Errs()) != 1 {
		t.Errorf("want exactly one error, got:\n%s", renderDiags(diags, ""))
	}
}

func TestEvalOutputsMissingFleetValue(t *testing.T) {
	s := mustLoad(t, map[string]string{"main.nova.hcl": outputSpec}, Options{})
	_, diags := s.EvalOutputs(map[string]cty.Value{"fleet.web": outputFleets["fleet.web"]})
	if !diags.HasErrors() {
		t.Fatal("want an error for vm.db-01 without a value")
	}
	for _, d := range diags {
		subjectAt(t, d, "main.nova.hcl", 31)
	}
}

func TestOutputReferencesCheckedAtLoad(t *testing.T) {
	for _, expr := range []string{"fleet", "fleet[0]", `vm["db-01"]`} {
		t.Run(expr, func(t *testing.T) {
			diags := mustFail(t, map[string]string{"main.nova.hcl": simPreamble + `
output "bad" {
  value = ` + expr + `
}`}, Options{})
			subjectAt(t, findDiag(t, diags, "Invalid reference"), "main.nova.hcl", 8)
		})
	}
}
