package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// memPrivate is a resource's private state in memory.
type memPrivate map[string][]byte

func (p memPrivate) GetKey(_ context.Context, key string) ([]byte, diag.Diagnostics) {
	return p[key], nil
}

func (p memPrivate) SetKey(_ context.Context, key string, value []byte) diag.Diagnostics {
	p[key] = value
	return nil
}

// A template digest is the engine's, stable for one lineage, different for
// another, and never holds the ID's values.
func TestTemplateDigest(t *testing.T) {
	const id = `image="HUNTER2"`
	a, again, other := templateDigest("lineage-a", id), templateDigest("lineage-a", id), templateDigest("lineage-b", id)
	if !isDigest(a) || a != again || a == other || strings.Contains(a, "HUNTER2") {
		t.Errorf("digests %q, %q (same lineage), %q (another): want a stable sensitive:… digest per lineage, without the value", a, again, other)
	}
	if templateDigest("lineage-a", "") != "" {
		t.Error("the digest of no template is not empty")
	}
}

// The ID a novacron_vm's template_id was made from, kept in its private
// state, spares making the digest again: a refresh reuses template_id.
func TestRecallDigest(t *testing.T) {
	ctx, p := context.Background(), memPrivate{}
	const lineage, id, kept = "lineage-recall", `image="u"`, "sensitive:kept-digest-of-u"
	if diags := keepDigestOf(ctx, p, id); diags.HasError() {
		t.Fatal(diags)
	}
	if diags := recallDigest(ctx, p, lineage, types.StringValue(kept)); diags.HasError() {
		t.Fatal(diags)
	}
	if got := templateDigest(lineage, id); got != kept {
		t.Errorf("templateDigest after recall = %q, want the kept %q", got, kept)
	}
	if got := templateDigest(lineage, `image="v"`); got == kept || !isDigest(got) {
		t.Errorf("the digest of another template = %q, want a new digest", got)
	}
	if recallDigest(ctx, p, "lineage-other", types.StringValue("not a digest")); templateDigest("lineage-other", id) == "not a digest" {
		t.Error("a template_id that is no digest was remembered")
	}
}

// A record kept by a provider build before the engine's digests holds a
// keyed HMAC, which cannot be compared with a template: the engine's
// state gets no template for it (nothing to replace for) until a refresh
// records the engine's digest; a matching digest stands for the template.
func TestRecordStateTemplate(t *testing.T) {
	const lineage, id = "lineage-state", `image="u"`
	for _, tc := range []struct{ recorded, want string }{
		{"hmac-sha256:0123456789abcdef", ""},
		{templateDigest(lineage, id), id},
		{templateDigest(lineage, `image="v"`), templateDigest(lineage, `image="v"`)},
	} {
		if got := (vmRecord{ID: "vm-1", Template: tc.recorded}).state("sim.lab", "fleet.web", lineage, id).Template; got != tc.want {
			t.Errorf("record template %q: state template %q, want %q", tc.recorded, got, tc.want)
		}
	}
}
