package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSensitiveValueNotInErrors: a sensitive value that a setting or a
// function refuses was quoted in the error (latency = var.lat with
// -var lat=HUNTER2LAT said `got "HUNTER2LAT"`).
func TestSensitiveValueNotInErrors(t *testing.T) {
	lat := "variable \"lat\" {\n  type      = string\n  sensitive = true\n%s}\n"
	plain, checked := fmt.Sprintf(lat, ""), fmt.Sprintf(lat, "  validation {\n    condition     = parseint(var.lat, 10) > 0\n    error_message = \"A number.\"\n  }\n")
	for _, tt := range []struct{ name, spec, want string }{
		{"provider setting", plain + `provider "sim" "lab" { latency = var.lat }`, "Invalid duration"},
		{"driver check", plain + "variable \"n\" {\n  type = number\n  sensitive = true\n  default = 987654321\n}\nprovider \"sim\" \"lab\" { hosts = var.n }", "Invalid value for hosts"},
		{"function", plain + "provider \"sim\" \"lab\" {}\nlocals { n = parseint(var.lat, 10) }", "Invalid function argument"},
		{"function in a local", plain + "provider \"sim\" \"lab\" {}\nlocals {\n  s = \"x${var.lat}\"\n  j = jsondecode(local.s)\n}", "Error in function call"},
		{"validation", checked + "provider \"sim\" \"lab\" {}", "Invalid function argument"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := newDir(t, tt.spec+"\n")
			for _, cmd := range []string{"validate", "plan"} {
				r := nova(t, dir, cmd, "-var", "lat=HUNTER2LAT").Must(t, 1, cmd)
				mustSay(t, r.Stderr, tt.want)
				if strings.Contains(r.Stderr, "HUNTER2LAT") || strings.Contains(r.Stderr, "987654321") {
					t.Errorf("%s shows the sensitive value:\n%s", cmd, r.Stderr)
				}
			}
		})
	}
}

const secretImageSpec = `
variable "image" {
  type      = string
  sensitive = true
}
provider "sim" "lab" {}
template "u" {
  sim { image = var.image }
}
fleet "web" {
  count     = 2
  template  = template.u
  cpu       = 1
  memory_gb = 1
}
`

// TestSensitiveTemplateSetting: a template setting may come from a
// sensitive value (cloud-init user data, keys). Plans, state, the saved
// plan, show and the provider's own records hold only a digest, which is
// stable (no false drift) and changes with the value (a change is planned).
func TestSensitiveTemplateSetting(t *testing.T) {
	const secret, other = "TOPSECRET-IMAGE-1", "TOPSECRET-IMAGE-2"
	dir := newDir(t, secretImageSpec)
	v := "image=" + secret
	outputs := []result{
		nova(t, dir, "plan", "-var", v, "-out=p.plan").Must(t, 0, "plan -out"),
		nova(t, dir, "plan", "-json", "-var", v).Must(t, 0, "plan -json"),
		nova(t, dir, "show", "p.plan").Must(t, 0, "show PLANFILE"),
		nova(t, dir, "show", "-json", "p.plan").Must(t, 0, "show -json PLANFILE"),
		nova(t, dir, "show", "-markdown", "p.plan").Must(t, 0, "show -markdown PLANFILE"),
		nova(t, dir, "plan", "-markdown", "-var", v).Must(t, 0, "plan -markdown"),
		nova(t, dir, "apply", "-var", v, "p.plan").Must(t, 0, "apply PLANFILE"),
		nova(t, dir, "show").Must(t, 0, "show"),
		nova(t, dir, "show", "-json").Must(t, 0, "show -json"),
		nova(t, dir, "inventory", "-json", "-var", v).Must(t, 0, "inventory -json"),
	}
	mustSay(t, outputs[0].Stdout, "image=sensitive:")
	for i, r := range outputs {
		if strings.Contains(r.Stdout+r.Stderr, secret) {
			t.Errorf("output %d shows the sensitive value:\n%s%s", i, r.Stdout, r.Stderr)
		}
	}
	mustNotHold(t, dir, secret)
	r := nova(t, dir, "plan", "-detailed-exitcode", "-var", v)
	if r.Code != 0 {
		t.Errorf("the same value plans changes (exit %d):\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	if p := planJSON(t, dir, "-var", "image="+other); strings.Count(strings.Join(p.actions(), ","), " replace") != 2 {
		t.Errorf("a new value plans %v, want two replaces", p.actions())
	}
}

// TestSensitiveTemplateSettingInSavedPlan: a saved plan applies only with
// the value it was made with. A value given but different is told apart
// from one not given (it said "give the same value again" to both), and
// neither value is shown.
func TestSensitiveTemplateSettingInSavedPlan(t *testing.T) {
	dir := newDir(t, strings.Replace(secretImageSpec, "sensitive = true", "sensitive = true\n  default   = \"DEFAULT-IMAGE\"", 1))
	nova(t, dir, "plan", "-var", "image=IMAGE-ONE", "-out=p.plan").Must(t, 0, "plan -out")
	differs := nova(t, dir, "apply", "-var", "image=IMAGE-TWO", "p.plan").Must(t, 1, "apply with another value")
	mustSay(t, differs.Stderr, "var.image differs from the value the plan was made with")
	missing := nova(t, dir, "apply", "p.plan").Must(t, 1, "apply without the value")
	mustSay(t, missing.Stderr, "var.image is sensitive, so the plan file does not hold its value", "give the same value again")
	for _, r := range []result{differs, missing} {
		if strings.Contains(r.Stdout+r.Stderr, "IMAGE-") {
			t.Errorf("the refusal shows a value:\n%s", r.Stderr)
		}
	}
	if n := len(inventory(t, dir, "-var", "image=IMAGE-X").VMs); n != 0 {
		t.Errorf("the refused apply made %d VMs", n)
	}
	nova(t, dir, "apply", "-var", "image=IMAGE-ONE", "p.plan").Must(t, 0, "apply with the value")
}

// mustNotHold fails if any file of the workspace holds s.
func mustNotHold(t *testing.T, dir, s string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err == nil && strings.Contains(string(data), s) {
			t.Errorf("%s holds the sensitive value", path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSensitiveTemplateSettingImport: `nova-plan import` compares the VM
// with the spec's template like a plan does, digest against digest.
func TestSensitiveTemplateSettingImport(t *testing.T) {
	dir := newDir(t, secretImageSpec)
	v := "image=TOPSECRET-IMAGE-1"
	nova(t, dir, "apply", "-auto-approve", "-var", v).Must(t, 0, "apply")
	addr, id := "fleet.web[0]", ""
	for _, vm := range inventory(t, dir, "-var", v).VMs {
		if vm.Address == addr {
			id = vm.ID
		}
	}
	nova(t, dir, "state", "rm", addr).Must(t, 0, "state rm")
	r := nova(t, dir, "import", "-var", v, addr, id).Must(t, 0, "import")
	if strings.Contains(r.Stdout+r.Stderr, "TOPSECRET") || strings.Contains(r.Stdout, "replace") {
		t.Errorf("import:\n%s%s", r.Stdout, r.Stderr)
	}
	if r := nova(t, dir, "plan", "-detailed-exitcode", "-var", v); r.Code != 0 {
		t.Errorf("after the import, plan wants changes (exit %d):\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
}
