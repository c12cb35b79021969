package vsphere

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/internal/vcsim"
)

// TestAnnotationRecord: the record is the last "novacron-record:" line;
// writing it keeps the rest of the notes and replaces an older record.
func TestAnnotationRecord(t *testing.T) {
	r1 := record{Version: 1, Address: "fleet.web[0]", Lineage: "L", Tags: map[string]string{"a": "b"}}
	r2 := record{Version: 1, Address: "fleet.web[1]", DiskGB: 20}
	notes := withRecord("Built by packer\nOwner: ops", r1)
	if want := "Built by packer\nOwner: ops\nnovacron-record: " + r1.encode(); notes != want {
		t.Errorf("withRecord = %q, want %q", notes, want)
	}
	notes = withRecord(notes, r2)
	if strings.Count(notes, recordPrefix) != 1 || !strings.HasPrefix(notes, "Built by packer\nOwner: ops\n") {
		t.Errorf("rewriting the record gave %q", notes)
	}
	got, ok := annotationRecord(notes)
	if !ok {
		t.Fatalf("annotationRecord(%q) found none", notes)
	}
	if diff := cmp.Diff(r2, got); diff != "" {
		t.Errorf("record read back (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"", "just notes", "novacron-record: {not json", `novacron-record: {"address":"x"}`} {
		if _, ok := annotationRecord(bad); ok {
			t.Errorf("annotationRecord(%q) found a record", bad)
		}
	}
	if got := withRecord("", r1); got != recordPrefix+r1.encode() {
		t.Errorf("withRecord on empty notes = %q", got)
	}
}

// TestRecordOnTheVM: Create writes the record both in the custom attribute
// and in the annotation, after the template's notes, and the custom
// attribute wins over an annotation edited by hand.
func TestRecordOnTheVM(t *testing.T) {
	s := startSim(t, vcsim.Options{})
	d := openDriver(t, simConfig(s))
	ctx := context.Background()
	vm, err := d.Create(ctx, testSpec("rec"))
	if err != nil {
		t.Fatal(err)
	}
	_, f := simClient(t, s)
	obj := simVM(t, f, "rec")
	var m mo.VirtualMachine
	if err := obj.Properties(ctx, obj.Reference(), []string{"config.annotation", "customValue"}, &m); err != nil {
		t.Fatal(err)
	}
	want := newRecord(testSpec("rec"), false)
	if got := fieldValue(m.CustomValue, d.field); got != want.encode() {
		t.Errorf("custom attribute %q = %q, want %q", FieldName, got, want.encode())
	}
	if got, wantNotes := m.Config.Annotation, "VM template of the NovaCron vCenter simulator\n"+recordPrefix+want.encode(); got != wantNotes {
		t.Errorf("annotation = %q, want %q", got, wantNotes)
	}
	forged := want
	forged.Address = "fleet.forged[0]"
	task, err := obj.Reconfigure(ctx, types.VirtualMachineConfigSpec{Annotation: withRecord("", forged)})
	if err == nil {
		err = task.Wait(ctx)
	}
	if err != nil {
		t.Fatal(err)
	}
	if got := inventoryVM(t, d, vm.ID).Marker; got == nil || got.Address != "vm.rec" {
		t.Errorf("marker after the annotation was edited by hand: %+v, want the custom attribute's (vm.rec)", got)
	}
}

// TestUserDataStaysInGuestinfo: a template's user_data reaches the guest
// as guestinfo.userdata, base64, and appears neither in the annotation,
// the custom attribute, nor the template ID the record keeps.
func TestUserDataStaysInGuestinfo(t *testing.T) {
	s := startSim(t, vcsim.Options{})
	d := openDriver(t, simConfig(s))
	ctx := context.Background()
	const secret = "#cloud-config\npassword: hunter2-secret\n"
	spec := testSpec("ci")
	spec.Template = driver.TemplateRef{Name: "ci", Config: driver.Config{tmplVM: vcsim.Template, tmplUserData: secret},
		Sensitive: map[string]string{tmplUserData: "digest123"}}
	vm, err := d.Create(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	if want := spec.Template.ID(); vm.Template != want || strings.Contains(want, "hunter2") {
		t.Errorf("template ID %q, want %q without the secret", vm.Template, want)
	}
	_, f := simClient(t, s)
	obj := simVM(t, f, "ci")
	var m mo.VirtualMachine
	if err := obj.Properties(ctx, obj.Reference(), []string{"config", "customValue"}, &m); err != nil {
		t.Fatal(err)
	}
	extra := map[string]string{}
	for _, o := range m.Config.ExtraConfig {
		v := o.GetOptionValue()
		extra[v.Key], _ = v.Value.(string)
	}
	if got, _ := base64.StdEncoding.DecodeString(extra["guestinfo.userdata"]); string(got) != secret || extra["guestinfo.userdata.encoding"] != "base64" {
		t.Errorf("guestinfo.userdata = %q (%s), want the user data, base64", got, extra["guestinfo.userdata.encoding"])
	}
	meta, _ := base64.StdEncoding.DecodeString(extra["guestinfo.metadata"])
	if !strings.Contains(string(meta), `"local-hostname":"ci"`) {
		t.Errorf("guestinfo.metadata = %s, want the host name", meta)
	}
	for where, text := range map[string]string{"annotation": m.Config.Annotation, "custom attribute": fieldValue(m.CustomValue, d.field)} {
		if strings.Contains(text, "hunter2") || strings.Contains(text, base64.StdEncoding.EncodeToString([]byte(secret))) {
			t.Errorf("the user data is in the %s: %q", where, text)
		}
	}
}
