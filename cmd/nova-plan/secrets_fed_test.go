package main

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fedSpec has a variable not declared sensitive whose value reaches a
// template setting the libvirt driver declares sensitive (user_data),
// through a local and a function call, and an output that shows it. The
// fleet runs on the sim driver, so no libvirtd is needed: the rule is about
// the setting, not about which provider uses the template.
const fedSpec = `
variable "ud" {
  type = string
}
locals {
  user_data = trimspace(var.ud)
}
provider "sim" "lab" {}
template "u" {
  sim     { image = "ubuntu-22.04" }
  libvirt {
    volume    = "ubuntu.qcow2"
    user_data = local.user_data
  }
}
fleet "web" {
  count     = 1
  template  = template.u
  cpu       = 1
  memory_gb = 1
}
output "ud" {
  value = var.ud
}
`

const fedSecret = "#cloud-config password: UDSECRET123"

// TestSensitiveSettingFedByPlainVariable: a value that reaches a setting
// its driver declares sensitive is sensitive, though its variable does not
// say sensitive = true (a plan file held it in base64, and apply printed an
// output showing it). The output is refused, saying why; with the output
// marked sensitive, neither the plan file nor anything apply prints or
// writes holds the value, and the plan applies only with the value given
// again.
func TestSensitiveSettingFedByPlainVariable(t *testing.T) {
	dir := newDir(t, fedSpec)
	v := "ud=" + fedSecret
	refused := nova(t, dir, "plan", "-var", v, "-out=p.plan").Must(t, 1, "plan with the output")
	mustSay(t, refused.Stderr, "Output refers to sensitive values",
		"var.ud is sensitive because it feeds the sensitive setting user_data of template.u (libvirt) at main.nova.hcl:13")
	if _, err := os.Stat(filepath.Join(dir, "p.plan")); err == nil {
		t.Error("the refused plan wrote p.plan")
	}

	writeSpec(t, dir, strings.Replace(fedSpec, "value = var.ud", "value     = var.ud\n  sensitive = true", 1))
	outputs := []result{
		refused,
		nova(t, dir, "plan", "-var", v, "-out=p.plan").Must(t, 0, "plan -out"),
		nova(t, dir, "show", "-json", "p.plan").Must(t, 0, "show -json PLANFILE"),
		nova(t, dir, "apply", "p.plan").Must(t, 1, "apply PLANFILE without the value"),
		nova(t, dir, "apply", "-var", v, "p.plan").Must(t, 0, "apply PLANFILE"),
		nova(t, dir, "show", "-json").Must(t, 0, "show -json"),
	}
	mustSay(t, outputs[3].Stderr, "No value for required variable")
	mustSay(t, outputs[4].Stdout, "ud = (sensitive value)")
	for _, form := range secretForms(fedSecret) {
		for i, r := range outputs {
			if strings.Contains(r.Stdout+r.Stderr, form) {
				t.Errorf("output %d holds %q:\n%s%s", i, form, r.Stdout, r.Stderr)
			}
		}
		mustNotHold(t, dir, form)
	}
}

// secretForms is the secret as text and as the part of its base64 that
// does not depend on what comes before or after it, at each of the three
// alignments (a plan file's JSON holds variable values as base64 bytes).
func secretForms(s string) []string {
	out := []string{s}
	for off := range 3 {
		enc := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("x", off) + s))
		out = append(out, enc[(off*4+2)/3:len(enc)-4])
	}
	return out
}

// TestSensitiveProviderSettingFedByPlainVariable is the new user's report:
// a vSphere password from a plain variable, shown by an output. Validate
// refuses the output without opening the provider.
func TestSensitiveProviderSettingFedByPlainVariable(t *testing.T) {
	dir := newDir(t, `
variable "pw" { type = string }
provider "vsphere" "lab" {
  password   = var.pw
  datacenter = "DC0"
  cluster    = "DC0_C0"
}
template "t" {
  vsphere { vm = "novacron-template" }
}
fleet "s2" {
  count     = 1
  template  = template.t
  cpu       = 1
  memory_gb = 1
}
output "pw" { value = var.pw }
`)
	r := nova(t, dir, "validate", "-var", "pw=dfedadc60a68ba47f4299905").Must(t, 1, "validate")
	mustSay(t, r.Stderr, "Output refers to sensitive values", "password of provider.vsphere.lab at main.nova.hcl:4")
	if strings.Contains(r.Stdout+r.Stderr, "dfedadc60a68ba47f4299905") {
		t.Errorf("validate shows the password:\n%s", r.Stderr)
	}
}
