package spec

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/sim"
)

// vaultFactory is a driver type with a sensitive setting, which the sim
// driver does not have. The spec never opens drivers, so Open is nil.
func vaultFactory() driver.Factory {
	return driver.Factory{
		Type:             "vault",
		Settings:         []driver.Setting{{Name: "token", Type: driver.String, Required: true, Sensitive: true}},
		TemplateSettings: []driver.Setting{{Name: "image", Type: driver.String}},
	}
}

// secretVars declares a sensitive string, number and bool.
const secretVars = `
variable "token" {
  type      = string
  sensitive = true
}
variable "n" {
  type      = number
  default   = 2
  sensitive = true
}
variable "b" {
  type      = bool
  default   = true
  sensitive = true
}
locals {
  derived = "x-${var.token}"
}
`

var secretOpts = Options{Vars: []VarArg{{Name: "token", Value: "s3cret"}}}

func TestSensitiveInProviderSettings(t *testing.T) {
	r := &driver.Registry{}
	r.Register(sim.Factory())
	r.Register(vaultFactory())
	opts := secretOpts
	opts.Registry = r
	s := mustLoad(t, map[string]string{"main.nova.hcl": secretVars + `
provider "vault" "v" {
  token = var.token
}
provider "sim" "lab" {
  seed = var.n
}
template "t" {
  sim { image = "i" }
}
vm "a" {
  provider  = provider.sim.lab
  template  = template.t
  cpu       = 1
  memory_gb = 1
}`}, opts)
	if got := s.Providers["vault.v"].Config["token"]; got != "s3cret" {
		t.Errorf("vault token = %#v, want the plain value", got)
	}
	if got := s.Providers["sim.lab"].Config["seed"]; got != int64(2) {
		t.Errorf("sim seed = %#v, want int64(2)", got)
	}
	if !s.Variables["token"].Sensitive || !s.Variables["token"].Value.IsMarked() {
		t.Error("var.token is not kept sensitive in the model")
	}
}

// TestSensitiveRefused: a sensitive value must not reach anything that shows
// up in VM attributes, addresses or the plan's structure; each case must be
// an error on the attribute, not a panic.
func TestSensitiveRefused(t *testing.T) {
	tests := []struct {
		name, attrs, summary string
		line                 int
	}{
		{"name", `name = var.token`, "Sensitive value in a VM attribute", 26},
		{"name through a local", `name = local.derived`, "Sensitive value in a VM attribute", 26},
		{"one tag", `tags = { a = "plain", b = var.token }`, "Sensitive value in a VM attribute", 26},
		{"host", `host = var.token`, "Sensitive value in a VM attribute", 26},
		{"cpu", `cpu = var.n`, "Sensitive value in a VM attribute", 26},
		{"count", `count = var.n`, "Sensitive value in count", 26},
		{"for_each", `for_each = toset([var.token])`, "Invalid for_each", 26},
		{"rollout", "rollout {\n batch_size = var.n\n}", "Sensitive value not allowed", 27},
		{"lifecycle", "lifecycle {\n prevent_destroy = var.b\n}", "Sensitive value not allowed", 27},
		{"placement", "placement {\n spread_by = var.token\n}", "Sensitive value not allowed", 27},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := secretVars + simPreamble + `
fleet "web" {
  ` + tt.attrs + `
  template  = template.ubuntu-22.04
  memory_gb = 1
` + strings.Repeat("  cpu = 1\n", btoi(!strings.HasPrefix(tt.attrs, "cpu"))) + `}`
			diags := mustFail(t, map[string]string{"main.nova.hcl": src}, secretOpts)
			if diff := cmp.Diff([]string{tt.summary}, errorSummaries(diags)); diff != "" {
				t.Fatalf("errors (-want +got):\n%s", diff)
			}
			subjectAt(t, diags[0], "main.nova.hcl", tt.line)
			if strings.Contains(renderDiags(diags, ""), "s3cret") {
				t.Error("a diagnostic shows the sensitive value")
			}
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestSensitiveValidationMessage: a validation rule of a sensitive variable
// still fails, but an error_message that would show the value is withheld.
func TestSensitiveValidationMessage(t *testing.T) {
	for _, tt := range []struct{ msg, want string }{
		{`"Too short: ${var.token}."`, "The error message refers to a sensitive value, so it is not shown."},
		{`"Too short."`, "Too short."},
	} {
		diags := mustFail(t, map[string]string{"main.nova.hcl": simPreamble + `
variable "token" {
  type      = string
  sensitive = true
  validation {
    condition     = strlen(var.token) > 10
    error_message = ` + tt.msg + `
  }
}`}, Options{Env: []string{"NOVA_VAR_token=s3cret"}})
		d := findDiag(t, diags, "Invalid value for variable")
		subjectAt(t, d, "<value for var.token>", 1)
		if msg, _, _ := strings.Cut(d.Detail, "\n\n"); msg != tt.want {
			t.Errorf("message %q, want %q", msg, tt.want)
		}
	}
}
