package spec

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/sim"
)

// cloudFactory has a template setting the driver declares sensitive.
func cloudFactory() driver.Factory {
	return driver.Factory{
		Type: "cloud",
		TemplateSettings: []driver.Setting{
			{Name: "image", Type: driver.String},
			{Name: "user_data", Type: driver.String, Sensitive: true},
			{Name: "keys", Type: driver.StringList},
		},
	}
}

// TestSensitiveTemplateSettings: a template setting is sensitive when its
// value is or when the driver declares it so. The driver gets the value;
// TemplateRef.ID, which is stored and shown, a digest salted with the
// lineage: stable for one lineage and value, different otherwise.
func TestSensitiveTemplateSettings(t *testing.T) {
	r := &driver.Registry{}
	r.Register(sim.Factory())
	r.Register(cloudFactory())
	src := secretVars + `
provider "cloud" "c" {}
template "t" {
  cloud {
    image     = "plain-image"
    user_data = "#cloud-config\npassword: literal-secret\n"
    keys      = ["ssh-ed25519 AAAA", var.token]
  }
}
vm "a" {
  template  = template.t
  cpu       = 1
  memory_gb = 1
}`
	load := func(token string) *Spec {
		return mustLoad(t, map[string]string{"main.nova.hcl": src}, Options{Registry: r, Vars: []VarArg{{Name: "token", Value: token}}})
	}
	ref := load("s3cret").Fleets[0].TemplateRef
	if diff := cmp.Diff([]string{"ssh-ed25519 AAAA", "s3cret"}, ref.Config.StringList("keys")); diff != "" {
		t.Errorf("the driver does not get the keys (-want +got):\n%s", diff)
	}
	if got := ref.Config.String("user_data"); !strings.Contains(got, "literal-secret") {
		t.Errorf("the driver does not get the user data: %q", got)
	}
	if diff := cmp.Diff(map[string]string{"keys": "", "user_data": ""}, ref.Sensitive); diff != "" {
		t.Errorf("sensitive settings (-want +got):\n%s", diff)
	}
	if id := ref.ID(); id != `image="plain-image",keys=sensitive:,user_data=sensitive:` {
		t.Errorf("unsealed ID %q", id)
	}

	sealed := func(token, lineage string) string {
		s := load(token)
		s.SealTemplates(lineage)
		return s.Fleets[0].TemplateRef.ID()
	}
	id := sealed("s3cret", "lineage-a")
	if strings.Contains(id, "s3cret") || strings.Contains(id, "literal-secret") || !strings.Contains(id, `image="plain-image",keys=sensitive:`) {
		t.Fatalf("sealed ID %q", id)
	}
	for _, tt := range []struct {
		what, token, lineage string
		same                 bool
	}{
		{"the same value and lineage", "s3cret", "lineage-a", true},
		{"another value", "s3creT", "lineage-a", false},
		{"another workspace", "s3cret", "lineage-b", false},
	} {
		if got := sealed(tt.token, tt.lineage); (got == id) != tt.same {
			t.Errorf("%s: ID %q, first %q; same = %v, want %v", tt.what, got, id, got == id, tt.same)
		}
	}
}

// TestSensitiveDetailsHidden: hcl reports a failed function with the
// function's message, which can quote its argument; with a sensitive
// argument the detail is withheld, in locals, settings and outputs alike.
func TestSensitiveDetailsHidden(t *testing.T) {
	for _, tt := range []struct{ name, src string }{
		{"local", `locals { n = parseint(var.token, 10) }`},
		{"through a local", `locals { n = parseint(local.derived, 10) }`},
		{"in a for expression", `locals { n = [for c in [var.token] : parseint(c, 10)] }`},
		{"regex", `locals { n = regex(var.token, "no match here") }`},
		{"output", `output "n" {
  value     = parseint(var.token, 10)
  sensitive = true
}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			diags := mustFail(t, map[string]string{"main.nova.hcl": secretVars + simPreamble + tt.src}, secretOpts)
			if text := renderDiags(diags, ""); strings.Contains(text, "s3cret") || !strings.Contains(text, hiddenDetail) {
				t.Errorf("diagnostics:\n%s", text)
			}
		})
	}
	diags := mustFail(t, map[string]string{"main.nova.hcl": secretVars + simPreamble + `locals { n = parseint("x-plain", 10) }`}, secretOpts)
	if text := renderDiags(diags, ""); !strings.Contains(text, `"x-plain"`) {
		t.Errorf("a plain value's detail is withheld too:\n%s", text)
	}
}

// TestStringsDriversCannotTake: tags, host and driver settings refuse
// control characters (libvirt metadata turned them into U+FFFD, and the
// VM drifted on every plan) with a diagnostic on the attribute.
func TestStringsDriversCannotTake(t *testing.T) {
	vm := func(attrs string) string {
		return simPreamble + "vm \"a\" {\n  template  = template.ubuntu-22.04\n  cpu       = 1\n  memory_gb = 1\n  " + attrs + "\n}\n"
	}
	for _, tt := range []struct{ name, src, summary, detail string }{
		{"tag key", vm(`tags = { "a\u0007" = "x" }`), "Invalid tag key", "U+0007"},
		{"tag value", vm(`tags = { a = "x\u001b[0m" }`), "Invalid tag value", "U+001B"},
		{"tag value with a newline", vm(`tags = { a = "x\ny" }`), "Invalid tag value", "U+000A"},
		{"tag value with a tab", vm(`tags = { a = "x\ty" }`), "Invalid tag value", "U+0009"},
		{"tag value with C1", vm(`tags = { a = "\u009b" }`), "Invalid tag value", "U+009B"},
		{"tag value with DEL", vm(`tags = { a = "\u007f" }`), "Invalid tag value", "U+007F"},
		{"host", vm(`host = "hv-01\r"`), "Invalid host", "U+000D"},
		{"template setting", "provider \"sim\" \"lab\" {}\ntemplate \"t\" {\n  sim { image = \"a\\u0000b\" }\n}\n", "Invalid value for image", "U+0000"},
		{"provider setting", "provider \"sim\" \"lab\" {\n  host_names = [\"hv\\u001b\"]\n}\n", "Invalid value for host_names", "U+001B"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			diags := mustFail(t, map[string]string{"main.nova.hcl": tt.src}, Options{})
			d := findDiag(t, diags, tt.summary)
			if !strings.Contains(d.Detail, tt.detail) {
				t.Errorf("detail %q does not name %s", d.Detail, tt.detail)
			}
		})
	}
	s := mustLoad(t, map[string]string{"main.nova.hcl": vm(`tags = { "ünï" = "ok — fine ✓", b = "\uFFFD" }`)}, Options{})
	if got := s.Fleets[0].Instances[0].Tags["ünï"]; got != "ok — fine ✓" {
		t.Errorf("printable tags refused or changed: %q", got)
	}
	diags := mustFail(t, map[string]string{"main.nova.hcl": vm(`tags = { v = var.v }`) + "variable \"v\" {\n  type = string\n}\n"},
		Options{Vars: []VarArg{{Name: "v", Value: "bad\xff"}}})
	if d := findDiag(t, diags, "Invalid tag value"); !strings.Contains(d.Detail, "not UTF-8 (0xFF)") {
		t.Errorf("detail %q", d.Detail)
	}
}
