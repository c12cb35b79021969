package plan_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/secret"
	"github.com/novacron/novacron/engine/spec"
)

const secretImage = "secret-image-1"

// sealedWeb is a fleet of two whose template's image is sensitive.
const sealedWeb = `
variable "img" {
  type      = string
  sensitive = true
  default   = "` + secretImage + `"
}
template "sealed" {
  sim { image = var.img }
}
fleet "web" {
  count     = 2
  template  = template.sealed
  cpu       = 2
  memory_gb = 4
}
`

// sealedFixture is sealedWeb applied, its template sealed with the test's
// lineage, and every VM's template ID set to live.
func sealedFixture(t *testing.T, live func(sealed string) string) *fixture {
	t.Helper()
	f := applied(t, sealedWeb)
	f.spec.SealTemplates(lineage)
	sealed := f.spec.Fleets[0].TemplateRef.ID()
	for i := range f.vms {
		f.vms[i].Template = live(sealed)
		f.state.VMs[f.vms[i].Marker.Address].Template = f.vms[i].Template
	}
	return f
}

// TestSameTemplateWrittenOtherwise: a VM whose template ID differs from the
// spec's only in how a sensitive setting is written is not replaced, and
// the plan never shows the other form.
func TestSameTemplateWrittenOtherwise(t *testing.T) {
	digestOf := func(lineage, value string) string {
		return "image=sensitive:" + secret.TemplateDigest(lineage, "sim", "image", `"`+value+`"`)
	}
	for _, tt := range []struct {
		name string
		live func(sealed string) string
		want []plan.Action // for fleet.web[0] and [1], with a cpu change
	}{
		{"the spec's own digest", func(s string) string { return s }, []plan.Action{plan.Update, plan.Update}},
		{"in plain text (made before the setting was sensitive)", func(string) string { return `image="` + secretImage + `"` }, []plan.Action{plan.Update, plan.Update}},
		{"sealed by another workspace", func(string) string { return digestOf("lin-other", secretImage) }, []plan.Action{plan.Update, plan.Update}},
		{"sealed in the first release's form", func(string) string {
			return "image=sensitive:" + secret.LegacyTemplateDigest(lineage, "sim", "image", `"`+secretImage+`"`)
		}, []plan.Action{plan.Update, plan.Update}},
		{"another value, sealed by another workspace", func(string) string { return digestOf("lin-other", "secret-image-2") }, []plan.Action{plan.Replace, plan.Replace}},
		{"another value in plain text", func(string) string { return `image="secret-image-2"` }, []plan.Action{plan.Replace, plan.Replace}},
		{"another value in plain text, among other settings", func(string) string { return `a=["x,y","z"],image="secret-image-2",z={"k":"v,w"}` }, []plan.Action{plan.Replace, plan.Replace}},
		{"another value, legacy form of another lineage", func(string) string {
			return "image=sensitive:" + secret.LegacyTemplateDigest("lin-other", "sim", "image", `"`+secretImage+`"`)
		}, []plan.Action{plan.Replace, plan.Replace}},
		{"a digest with another setting after it", func(s string) string { return s + `,extra="x"` }, []plan.Action{plan.Replace, plan.Replace}},
		{"a damaged digest", func(s string) string { return s[:len(s)-3] }, []plan.Action{plan.Replace, plan.Replace}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := sealedFixture(t, tt.live)
			for i := range f.vms {
				f.vms[i].CPU = 1
			}
			p := mustDiff(t, f.input())
			var got []plan.Action
			for _, c := range p.Changes {
				got = append(got, c.Action)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("actions (-want +got):\n%s", diff)
			}
			js, _ := json.Marshal(p)
			if strings.Contains(string(js), secretImage) || strings.Contains(string(js), "secret-image-2") {
				t.Errorf("the plan holds a sensitive value: %s", js)
			}
		})
	}
}

// A template ID sealed in the spec but now given in plain text, by a
// literal, is the same template.
func TestSameTemplateSealedThenPlain(t *testing.T) {
	f := applied(t, strings.Replace(sealedWeb, "var.img", `"`+secretImage+`"`, 1))
	f.spec.SealTemplates(lineage)
	for i := range f.vms {
		f.vms[i].Template = "image=sensitive:" + secret.TemplateDigest("lin-other", "sim", "image", `"`+secretImage+`"`)
	}
	if p := mustDiff(t, f.input()); !p.Empty() {
		t.Errorf("plan %v, want none", rows(p))
	}
}

// TestImportChecksTheTemplate: an import whose VM has another template is
// refused, by an import block and by `nova-plan import`; one sealed by the
// workspace it comes from is not.
func TestImportChecksTheTemplate(t *testing.T) {
	f := importFixture(t)
	f.vm(t, "vm-0002").Template = debianID
	_, diags := plan.Diff(importInput(f))
	if len(diags) != 1 || diags[0].Summary != "Import would replace the VM" || !strings.Contains(diags[0].Detail, "template ubuntu changes") {
		t.Errorf("import block: %s", diagText(diags))
	}
	in := f.input()
	in.Imports = []*spec.Import{{Address: "fleet.web[1]", ID: "vm-0002"}}
	p, diags := plan.DiffImport(in)
	want := []diagRow{{hcl.DiagError, "Import would replace the VM",
		`Importing VM vm-0002 ("web-1") into fleet.web[1] would have the next plan destroy it and create a new one, because template ubuntu changes from image="debian-12" to image="ubuntu-22.04". ` +
			"Make the spec describe the VM as it is (its name, template, disk size, host); or, if replacing it is what you want, import it with an import block and plan with -replace=fleet.web[1].", ""}}
	if diff := cmp.Diff(want, diagRows(diags)); diff != "" || p != nil {
		t.Errorf("nova-plan import: plan %v, diagnostics (-want +got):\n%s", p, diff)
	}

	s := sealedFixture(t, func(string) string {
		return "image=sensitive:" + secret.TemplateDigest("lin-other", "sim", "image", `"`+secretImage+`"`)
	})
	delete(s.state.VMs, "fleet.web[1]")
	s.vm(t, "vm-0002").Marker = nil
	in = s.input()
	in.Imports = []*spec.Import{{Address: "fleet.web[1]", ID: "vm-0002"}}
	p, diags = plan.DiffImport(in)
	if diags.HasErrors() || len(p.Changes) != 1 || p.Changes[0].Action != plan.Adopt {
		t.Fatalf("import of a VM sealed elsewhere: %v %s", p, diagText(diags))
	}
	if got, want := p.Changes[0].After.Template, s.spec.Fleets[0].TemplateRef.ID(); got != want {
		t.Errorf("the adopt records template %s, want the spec's %s", got, want)
	}
}

// A VM made from another template, whose ID holds a sealed setting's old
// value in plain text, is replaced; the plan shows that value sealed, and
// the ID's other settings as they were.
func TestOtherTemplateInPlainTextIsSealed(t *testing.T) {
	live := `a=["x,y","z"],image="secret-image-2",z={"k":"v,w"}`
	f := sealedFixture(t, func(string) string { return live })
	p := mustDiff(t, f.input())
	want := `a=["x,y","z"],image=sensitive:` + secret.TemplateDigest(lineage, "sim", "image", `"secret-image-2"`) + `,z={"k":"v,w"}`
	for _, c := range p.Changes {
		if c.Action != plan.Replace || c.Before.Template != want {
			t.Errorf("%s: %s from template %s, want a replace from %s", c.Address, c.Action, c.Before.Template, want)
		}
	}
}

// BenchmarkDiffSealedElsewhere10k diffs 10,000 VMs whose sensitive template
// setting another workspace sealed (imported, say) against the same value:
// no changes, each VM's digest checked with its own salt. The argon2id
// computation is made once (the first iteration) and cached; each VM then
// costs a cache lookup. Compare with BenchmarkDiffNoChanges.
func BenchmarkDiffSealedElsewhere10k(b *testing.B) {
	f := applied(b, sealedWeb[:strings.Index(sealedWeb, "fleet")]+strings.ReplaceAll(bigSpec(10, 1000), "template.ubuntu", "template.sealed"))
	f.spec.SealTemplates(lineage)
	elsewhere := "image=sensitive:" + secret.TemplateDigest("lin-other", "sim", "image", `"`+secretImage+`"`)
	for i := range f.vms {
		f.vms[i].Template = elsewhere
	}
	in := f.input()
	if p := mustDiff(b, in); !p.Empty() || len(f.vms) != 10000 {
		b.Fatalf("the benchmark needs 10,000 VMs and no changes; got %d VMs and %d changes", len(f.vms), len(p.Changes))
	}
	b.ReportAllocs()
	for b.Loop() {
		plan.Diff(in)
	}
}
