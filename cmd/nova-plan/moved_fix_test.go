package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A moved or removed block inside a module is refused at the block: the
// VMs it names are in the module, which moved and removed blocks cannot
// reach yet, so ignoring it would destroy what a removed block with
// destroy = false keeps.
func TestMovedRemovedInModuleRefused(t *testing.T) {
	for _, block := range []string{
		"removed {\n  from = fleet.web\n  lifecycle {\n    destroy = false\n  }\n}\n",
		"moved {\n  from = fleet.old\n  to   = fleet.web\n}\n",
	} {
		typ := strings.Fields(block)[0]
		t.Run(typ, func(t *testing.T) {
			dir := newDir(t, movedSpec("root", 1, 1, "0s", `
module "m" {
  source = "./modules/m"
}
`))
			mod := filepath.Join(dir, "modules", "m")
			if err := os.MkdirAll(mod, 0o755); err != nil {
				t.Fatal(err)
			}
			body := "fleet \"web\" {\n  count     = 2\n  name      = \"web-${count.index}\"\n  template  = template.t\n  cpu       = 1\n  memory_gb = 1\n}\n"
			if err := os.WriteFile(filepath.Join(mod, "main.nova.hcl"), []byte(body+block), 0o644); err != nil {
				t.Fatal(err)
			}
			r := nova(t, dir, "plan", "-no-color").Must(t, 1, "plan with a "+typ+" block in a module")
			for _, w := range []string{"A module cannot declare a " + typ + " block", "root module", "on modules/m/main.nova.hcl line 8"} {
				if !strings.Contains(r.Stderr, w) {
					t.Errorf("the diagnostic does not say %q:\n%s", w, r.Stderr)
				}
			}
		})
	}
}
