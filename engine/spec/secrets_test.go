package spec

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/libvirt"
	"github.com/novacron/novacron/engine/driver/sim"
	"github.com/novacron/novacron/engine/secret"
)

// TestShownSettingsRefuseSensitiveValues: a setting whose value names the
// hosts plans show refuses a sensitive value (for a map: a sensitive map,
// whose keys are the names, not a sensitive URI in it).
func TestShownSettingsRefuseSensitiveValues(t *testing.T) {
	r := &driver.Registry{}
	r.Register(sim.Factory())
	r.Register(libvirt.Factory())
	const vars = `
variable "s" {
  type      = string
  sensitive = true
  default   = "hv-secret-01"
}
variable "m" {
  type      = map(string)
  sensitive = true
  default   = { hv-01 = "qemu:///system" }
}
`
	for _, tt := range []struct {
		name, provider string
		refused        bool
	}{
		{"sim host_names", `provider "sim" "p" { host_names = [var.s] }`, true},
		{"libvirt host_name", "provider \"libvirt\" \"p\" {\n  uri       = \"qemu:///system\"\n  host_name = var.s\n}", true},
		{"libvirt hosts, a sensitive map", `provider "libvirt" "p" { hosts = var.m }`, true},
		{"libvirt hosts, a sensitive URI", `provider "libvirt" "p" { hosts = { hv-01 = "qemu:///system?x=${var.s}" } }`, false},
		{"libvirt uri", `provider "libvirt" "p" { uri = "qemu:///system?x=${var.s}" }`, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := loadSpec(t, map[string]string{"main.nova.hcl": vars + tt.provider + "\n"}, Options{Registry: r})
			got := errorSummaries(diags)
			want := []string(nil)
			if tt.refused {
				want = []string{"Sensitive value in a shown setting"}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			for _, d := range diags {
				if strings.Contains(d.Detail, "hv-secret-01") {
					t.Errorf("a diagnostic shows the value: %s", d.Detail)
				}
			}
		})
	}
}

// TestRedactorHoldsTheSensitiveValues: the spec's Redactor removes the
// values of sensitive variables and of the provider and template settings
// that are sensitive, and nothing else.
func TestRedactorHoldsTheSensitiveValues(t *testing.T) {
	r := &driver.Registry{}
	r.Register(libvirt.Factory())
	s := mustLoad(t, map[string]string{"main.nova.hcl": `
variable "user" {
  type      = string
  sensitive = true
  default   = "operator-7"
}
variable "token" {
  type      = object({ key = string, n = number })
  sensitive = true
  default   = { key = "tok-123456", n = 98765432 }
}
provider "libvirt" "p" {
  uri  = "qemu+tcp://${var.user}@hv-01.example.net/system"
  pool = "images-pool"
}
provider "libvirt" "q" {
  hosts = { hypervisor-02 = "qemu+tcp://${var.user}@hv-02.example.net/system" }
}
template "t" {
  libvirt {
    kernel    = "/boot/vmlinuz-plain"
    user_data = "#cloud-config\n# literal\n"
  }
}
vm "a" {
  provider  = provider.libvirt.p
  template  = template.t
  cpu       = 1
  memory_gb = 1
}
`}, Options{Registry: r})
	red := s.Redactor()
	for in, want := range map[string]string{
		"connecting to qemu+tcp://operator-7@hv-01.example.net/system":        "connecting to " + secret.Placeholder,
		"user operator-7 denied; token tok-123456, n 98765432":                "user (sensitive value) denied; token (sensitive value), n (sensitive value)",
		`user data "#cloud-config\n# literal\n" refused`:                      `user data "(sensitive value)" refused`,
		"pool images-pool, kernel /boot/vmlinuz-plain":                        "pool images-pool, kernel /boot/vmlinuz-plain",
		"host hypervisor-02 (qemu+tcp://operator-7@hv-02.example.net/system)": "host hypervisor-02 (" + secret.Placeholder + ")",
	} {
		if got := red.String(in); got != want {
			t.Errorf("Redactor.String(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}

// TestShortSensitiveTextWarned: a sensitive text too short to be removed
// from driver messages is warned about, at the attribute.
func TestShortSensitiveTextWarned(t *testing.T) {
	s, diags := loadSpec(t, map[string]string{"main.nova.hcl": `
variable "img" {
  type      = string
  sensitive = true
  default   = "abc"
}
provider "sim" "lab" {}
template "t" {
  sim { image = var.img }
}
`}, Options{Registry: simRegistry()})
	if s == nil || len(diags) != 1 || diags[0].Severity != hcl.DiagWarning || diags[0].Summary != "Sensitive value too short to hide" || diags[0].Subject.Start.Line != 9 {
		t.Errorf("diagnostics %v, want one warning at line 9", diags)
	}
}
