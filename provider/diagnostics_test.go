package provider

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/operation"
	"github.com/novacron/novacron/engine/plan"
)

// A diagnostic about one change lands on the attribute of the VM it is
// about; one about several changes, or about none, on the resource.
func TestFromEngine(t *testing.T) {
	web := addrs.Fleet{Name: "web"}
	about := func(a addrs.Instance, attribute string) *operation.Context {
		return &operation.Context{Fleet: a.Fleet(), Changes: []operation.ChangeContext{{Address: a, Action: plan.Update, Attribute: attribute}}}
	}
	diagOf := func(sev hcl.DiagnosticSeverity, ctx *operation.Context) hcl.Diagnostics {
		d := &hcl.Diagnostic{Severity: sev, Summary: "s", Detail: "d"}
		if ctx != nil {
			d.Extra = ctx
		}
		return hcl.Diagnostics{d}
	}
	two := about(web.Instance(addrs.IntKey(0)), "cpu")
	two.Changes = append(two.Changes, two.Changes[0])
	tests := []struct {
		name  string
		diags hcl.Diagnostics
		place placer
		want  diag.Diagnostics
	}{
		{"a keyed VM's change lands on its instances entry", diagOf(hcl.DiagError, about(web.Instance(addrs.StringKey("b")), "cpu")), onFleetVM,
			diag.Diagnostics{diag.NewAttributeErrorDiagnostic(path.Root("instances").AtMapKey("b"), "s", "d")}},
		{"a counted VM's change lands on the fleet's attribute", diagOf(hcl.DiagError, about(web.Instance(addrs.IntKey(1)), "cpu")), onFleetVM,
			diag.Diagnostics{diag.NewAttributeErrorDiagnostic(path.Root("cpu"), "s", "d")}},
		{"a counted VM's move lands on its vms element", diagOf(hcl.DiagWarning, about(web.Instance(addrs.IntKey(1)), "host")), onFleetVM,
			diag.Diagnostics{diag.NewAttributeWarningDiagnostic(path.Root("vms").AtMapKey("1"), "s", "d")}},
		{"a novacron_vm's change lands on its attribute", diagOf(hcl.DiagError, about(addrs.Fleet{Kind: addrs.KindVM, Name: "db"}.Instance(addrs.NoKey), "power")), onVMAttribute,
			diag.Diagnostics{diag.NewAttributeErrorDiagnostic(path.Root("power"), "s", "d")}},
		{"a novacron_vm's create lands on the resource", diagOf(hcl.DiagError, about(addrs.Fleet{Kind: addrs.KindVM, Name: "db"}.Instance(addrs.NoKey), "")), onVMAttribute,
			diag.Diagnostics{diag.NewErrorDiagnostic("s", "d")}},
		{"several changes land on the resource", diagOf(hcl.DiagWarning, two), onFleetVM,
			diag.Diagnostics{diag.NewWarningDiagnostic("s", "d")}},
		{"a diagnostic without context lands on the resource", diagOf(hcl.DiagError, nil), onFleetVM,
			diag.Diagnostics{diag.NewErrorDiagnostic("s", "d")}},
		{"without a placer, on the resource", diagOf(hcl.DiagError, about(web.Instance(addrs.StringKey("b")), "")), nil,
			diag.Diagnostics{diag.NewErrorDiagnostic("s", "d")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, fromEngine(tt.diags, tt.place)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}
