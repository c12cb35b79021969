package spec

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/sim"
)

// feedsRegistry holds the sim driver and two with sensitive settings: a
// provider setting (vault's token) and a template setting (cloud's
// user_data).
func feedsRegistry() *driver.Registry {
	r := &driver.Registry{}
	r.Register(sim.Factory())
	r.Register(vaultFactory())
	r.Register(cloudFactory())
	return r
}

// feedsVars declares three plain string variables, none of them sensitive.
const feedsVars = `
variable "pw" {
  type = string
}
variable "ud" {
  type    = string
  default = "#cloud-config\npassword: UDSECRET123\n"
}
variable "img" {
  type    = string
  default = "plain-image"
}
`

// TestSensitiveFeeds: a variable whose value reaches a setting the driver
// declares sensitive is sensitive, as if it said sensitive = true, however
// it gets there; one that reaches only plain settings is not.
func TestSensitiveFeeds(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // the sensitive variables
	}{
		{"provider setting, direct", `
provider "vault" "v" { token = var.pw }`, []string{"pw"}},
		{"through a local", `
locals { a = var.pw }
provider "vault" "v" { token = local.a }`, []string{"pw"}},
		{"through a chain of locals", `
locals {
  c = local.b
  b = "${local.a}-x"
  a = var.pw
}
provider "vault" "v" { token = local.c }`, []string{"pw"}},
		{"local by index", `
locals { a = var.pw }
provider "vault" "v" { token = local["a"] }`, []string{"pw"}},
		{"locals as a whole", `
locals { a = var.pw }
provider "vault" "v" { token = values(local)[0] }`, []string{"pw"}},
		{"through a function call", `
provider "vault" "v" { token = trimspace(var.pw) }`, []string{"pw"}},
		{"template setting", `
provider "vault" "v" { token = "literal-token-value" }
template "c" {
  cloud { user_data = var.ud }
}`, []string{"ud"}},
		{"template setting through a conditional", `
provider "vault" "v" { token = "literal-token-value" }
locals { ud = var.img == "" ? "none" : var.ud }
template "c" {
  cloud { user_data = local.ud }
}`, []string{"img", "ud"}},
		{"used in a sensitive and a plain setting", `
provider "vault" "v" { token = "literal-token-value" }
template "c" {
  cloud {
    image     = var.img
    user_data = "${var.ud}${var.img}"
  }
}`, []string{"img", "ud"}},
		{"plain settings only", `
provider "vault" "v" { token = "literal-token-value" }
locals { i = var.img }
template "c" {
  cloud {
    image = local.i
    keys  = [var.pw]
  }
}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustLoad(t, map[string]string{"main.nova.hcl": feedsVars + tt.src}, Options{
				Registry: feedsRegistry(), Vars: []VarArg{{Name: "pw", Value: "PWSECRET123"}},
			})
			var got []string
			for name, v := range s.Variables {
				if v.Sensitive != v.Value.IsMarked() {
					t.Errorf("var.%s: Sensitive %v, but its value marked %v", name, v.Sensitive, v.Value.IsMarked())
				}
				if v.Sensitive {
					got = append(got, name)
					if !strings.Contains(v.SensitiveReason, " of ") {
						t.Errorf("var.%s: reason %q names no setting", name, v.SensitiveReason)
					}
				}
			}
			slices.Sort(got)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("sensitive variables (-want +got):\n%s", diff)
			}
			red := s.Redactor()
			for _, name := range tt.want {
				val, _ := s.Variables[name].Value.Unmark()
				text := val.AsString()
				if out := red.String("x " + text + " y"); strings.Contains(out, text) {
					t.Errorf("the redactor keeps var.%s: %q", name, out)
				}
			}
		})
	}
}

// TestSensitiveFeedsOutput: an output that shows a variable which feeds a
// sensitive setting is refused, as for a sensitive variable, and the
// diagnostic says which setting made it sensitive and where.
func TestSensitiveFeedsOutput(t *testing.T) {
	for _, tt := range []struct{ name, value string }{
		{"direct", "var.pw"},
		{"through a local", "local.shown"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			diags := mustFail(t, map[string]string{"main.nova.hcl": feedsVars + `
locals {
  pw    = trimspace(var.pw)
  shown = "pw=${local.pw}"
}
provider "vault" "v" {
  token = local.pw
}
output "pw" { value = ` + tt.value + ` }
`}, Options{Registry: feedsRegistry(), Vars: []VarArg{{Name: "pw", Value: "PWSECRET123"}}})
			d := findDiag(t, diags, "Output refers to sensitive values")
			subjectAt(t, d, "main.nova.hcl", 21)
			for _, want := range []string{"var.pw", "token of provider.vault.v", "main.nova.hcl:19"} {
				if !strings.Contains(d.Detail, want) {
					t.Errorf("detail %q does not say %q", d.Detail, want)
				}
			}
			if strings.Contains(renderDiags(diags, ""), "PWSECRET123") {
				t.Error("a diagnostic shows the sensitive value")
			}
		})
	}
}

// TestSensitiveFeedsSensitiveOutput: an output marked sensitive may show
// such a variable, as it may a sensitive variable.
func TestSensitiveFeedsSensitiveOutput(t *testing.T) {
	s := mustLoad(t, map[string]string{"main.nova.hcl": feedsVars + `
provider "vault" "v" { token = var.pw }
output "pw" {
  value     = var.pw
  sensitive = true
}
`}, Options{Registry: feedsRegistry(), Vars: []VarArg{{Name: "pw", Value: "PWSECRET123"}}})
	outs, diags := s.EvalOutputs(nil)
	if diags.HasErrors() || len(outs) != 1 || !outs[0].Sensitive {
		t.Fatalf("outputs %+v, diagnostics:\n%s", outs, renderDiags(diags, ""))
	}
}
