package workspace_test

import (
	"context"
	"strings"
	"testing"

	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/engine/workspace"
)

const secretTemplateSpec = `
variable "image" {
  type      = string
  sensitive = true
}
provider "sim" "lab" {}
template "img" {
  sim { image = var.image }
}
fleet "web" {
  count     = 2
  template  = template.img
  cpu       = 1
  memory_gb = 1
}
`

// TestSensitiveTemplateReachesTheDriver: the changes that create VMs
// carry the real value for the driver (what exec hands to Create), while
// everything that is shown or stored carries the digest, the same before
// and after a saved plan is read back and bound.
func TestSensitiveTemplateReachesTheDriver(t *testing.T) {
	ws := newWorkspace(t, map[string]string{"main.nova.hcl": secretTemplateSpec})
	opts := spec.Options{Vars: []spec.VarArg{{Name: "image", Value: secret}}}
	var planned *plan.Plan
	session(t, ws, opts, func(sess *workspace.Session) { planned = mustPlan(t, sess).Plan })
	checkSecretTemplate(t, planned)

	path := t.TempDir() + "/p.plan"
	if err := plan.WriteFile(path, planned); err != nil {
		t.Fatal(err)
	}
	saved, vals := loadSaved(t, path)
	opts.Values = vals
	session(t, ws, opts, func(sess *workspace.Session) {
		pl, diags := sess.PrepareSaved(context.Background(), saved)
		if diags.HasErrors() {
			t.Fatalf("PrepareSaved: %s", diagText(diags))
		}
		checkSecretTemplate(t, saved)
		mustApply(t, sess, pl)
		for _, vm := range liveVMs(t, sess) {
			if vm.Template != planned.Changes[0].After.Template {
				t.Errorf("the sim recorded template %q, want the planned %q", vm.Template, planned.Changes[0].After.Template)
			}
		}
	})
}

func checkSecretTemplate(t *testing.T, p *plan.Plan) {
	t.Helper()
	if len(p.Changes) != 2 {
		t.Fatalf("%d changes, want 2 creates", len(p.Changes))
	}
	for _, c := range p.Changes {
		if got := c.Template.Config.String("image"); got != secret {
			t.Errorf("%s: the driver would get image %q, want the sensitive value", c.Address, got)
		}
		id := c.Template.ID()
		if strings.Contains(id, secret) || !strings.HasPrefix(id, "image=sensitive:") || len(id) < len("image=sensitive:")+20 {
			t.Errorf("%s: template ID %q is not a digest", c.Address, id)
		}
		if c.After.Template != id {
			t.Errorf("%s: planned template %q, but the ref says %q", c.Address, c.After.Template, id)
		}
	}
}
