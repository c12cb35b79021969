package libvirt

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/kdomanski/iso9660"

	"github.com/novacron/novacron/engine/driver"
)

// TestSeedISO: the NoCloud seed reads back, with a third-party ISO 9660
// reader, under its Rock Ridge names and label, with the right contents.
func TestSeedISO(t *testing.T) {
	tmpl := template{userData: "#cloud-config\npackages: [htop]\n", sshKeys: []string{"ssh-ed25519 AAAA me@host "}}
	img, err := tmpl.seedISO("web-0", "6a0c3c9e-1a1e-4d52-9f56-6c1f5a0c2a11")
	if err != nil {
		t.Fatal(err)
	}
	iso, err := iso9660.OpenImage(bytes.NewReader(img))
	if err != nil {
		t.Fatalf("reading the seed: %v", err)
	}
	if label, _ := iso.Label(); label != seedLabel {
		t.Errorf("label %q, want %q", label, seedLabel)
	}
	root, err := iso.RootDir()
	if err != nil {
		t.Fatal(err)
	}
	children, err := root.GetChildren()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range children {
		data, _ := io.ReadAll(f.Reader())
		got[f.Name()] = string(data)
	}
	want := map[string]string{
		"meta-data": "instance-id: \"6a0c3c9e-1a1e-4d52-9f56-6c1f5a0c2a11\"\nlocal-hostname: \"web-0\"\npublic-keys:\n  - \"ssh-ed25519 AAAA me@host\"\n",
		"user-data": tmpl.userData,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("seed files (-want +got):\n%s", diff)
	}
}

// TestMetadataRoundTrip: the NovaCron element survives encoding and is
// found among other applications' metadata; a domain without it is
// unmanaged.
func TestMetadataRoundTrip(t *testing.T) {
	spec := driver.VMSpec{
		DiskGB: 20, Template: volumeTemplate, Tags: map[string]string{"b": "2", "a": "<&>"},
		Marker: driver.Marker{Address: "fleet.web[0]", Lineage: "L", SpecHash: "h"},
	}
	m := newMeta(spec)
	m.Volumes = []xmlVol{{Pool: "default", Role: roleDisk, Name: "web-0-1234abcd.qcow2"}}
	enc, err := m.encode()
	if err != nil {
		t.Fatal(err)
	}
	other := `<app:x xmlns:app="https://example.com/app"><vm>not ours</vm></app:x>`
	got, ok, err := findMeta(other + enc)
	if err != nil || !ok {
		t.Fatalf("findMeta: ok=%t err=%v", ok, err)
	}
	if diff := cmp.Diff(m.tags(), got.tags()); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(&spec.Marker, got.marker()); diff != "" {
		t.Errorf("marker (-want +got):\n%s", diff)
	}
	if got.Template != volumeTemplate.ID() || got.DiskGB != 20 || len(got.Volumes) != 1 || got.Volumes[0] != m.Volumes[0] {
		t.Errorf("round trip lost fields: %+v", got)
	}
	if _, ok, _ := findMeta(other); ok {
		t.Error("another application's metadata was taken for NovaCron's")
	}
	m.setMarker(driver.Marker{})
	if m.marker() != nil {
		t.Error("a zero marker is recorded")
	}
}

// TestCeilings: domains are defined with hot-add headroom, twice their size
// by default or the configured ceilings, never below their size.
func TestCeilings(t *testing.T) {
	cases := []struct {
		maxCPU  int
		maxMiB  int64
		cpu     int
		mib     int64
		wantCPU int
		wantMiB int64
		name    string
	}{
		{0, 0, 2, 2048, 4, 4096, "default: twice"},
		{16, 65536, 2, 2048, 16, 65536, "configured"},
		{4, 4096, 8, 8192, 8, 8192, "never below the size"},
		{0, 0, 600, 1024, maxVCPUs, 2048, "at most the vCPU limit"},
	}
	for _, tc := range cases {
		cpu, mib := config{maxCPU: tc.maxCPU, maxMemoryMiB: tc.maxMiB}.ceilings(tc.cpu, tc.mib)
		if cpu != tc.wantCPU || mib != tc.wantMiB {
			t.Errorf("%s: ceilings(%d, %d) = %d, %d; want %d, %d", tc.name, tc.cpu, tc.mib, cpu, mib, tc.wantCPU, tc.wantMiB)
		}
	}
}

// TestHotAddCeilingsOnTheTestHost: a VM reports its ceilings; growing past
// them while running is refused without a restart and raises them with one.
func TestHotAddCeilingsOnTheTestHost(t *testing.T) {
	testHost(t)
	d := openDriver(t, testConfig())
	vm := mustCreate(t, d, testSpec("grow", volumeTemplate))
	if vm.MaxCPU != 2 || vm.MaxMemoryMiB != 1024 {
		t.Fatalf("a 1 vCPU, 512 MiB VM reports ceilings %d vCPU, %d MiB; want 2, 1024", vm.MaxCPU, vm.MaxMemoryMiB)
	}
	_, err := d.Update(t.Context(), vm.ID, driver.Changes{CPU: new(3)})
	if err == nil || driver.KindOf(err) != driver.KindPermanent || !strings.Contains(err.Error(), "maximum of 2") {
		t.Fatalf("growing past the ceiling without a restart: %v, want a permanent error naming the maximum", err)
	}
	vm, err = d.Update(t.Context(), vm.ID, driver.Changes{CPU: new(3), Restart: true})
	if err != nil {
		t.Fatal(err)
	}
	if vm.CPU != 3 || vm.MaxCPU != 6 || vm.Power != driver.PowerRunning {
		t.Errorf("after a restart to 3 vCPUs: cpu %d, ceiling %d, %s; want 3, 6, running", vm.CPU, vm.MaxCPU, vm.Power)
	}
}

// TestConfigErrors: what no single setting can check is refused at Open.
func TestConfigErrors(t *testing.T) {
	cases := []struct {
		name string
		cfg  driver.Config
		want string
	}{
		{"network and bridge", driver.Config{settingURI: testURI, settingNetwork: "n", settingBridge: "br0"}, "network or bridge, not both"},
		{"host_name with hosts", driver.Config{settingHosts: map[string]string{"a": testURI}, settingHostName: "x"}, "map's keys are the host names"},
		{"bad URI in hosts", driver.Config{settingHosts: map[string]string{"a": "xen:///system"}}, `host a: the URI "xen:///system" is for libvirt's "xen" driver`},
		{"negative shutdown", driver.Config{settingURI: testURI, settingShutdown: -time.Second}, "shutdown_timeout must be more than 0"},
	}
	for _, tc := range cases {
		_, err := resolveConfig(tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
}

// TestTemplateErrors: a libvirt mapping must name one image.
func TestTemplateErrors(t *testing.T) {
	cases := []struct {
		cfg  driver.Config
		want string
	}{
		{driver.Config{}, "set volume"},
		{driver.Config{tmplVolume: "a", tmplKernel: "/k"}, "both volume and kernel"},
		{driver.Config{tmplVolume: "a", tmplCmdline: "x"}, "without kernel"},
	}
	for _, tc := range cases {
		spec := testSpec("x", driver.TemplateRef{Name: "t", Config: tc.cfg})
		if _, err := checkSpec(spec); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("template %v: %v, want an error containing %q", tc.cfg, err, tc.want)
		}
	}
}

// TestReconnectsAfterDrop: when the connection drops, the next call dials
// again instead of failing for the rest of the run.
func TestReconnectsAfterDrop(t *testing.T) {
	testHost(t) // keeps the test host's state while the driver's connection is gone
	d := openDriver(t, testConfig())
	vm := mustCreate(t, d, testSpec("reconnect", volumeTemplate))
	if err := d.hosts[0].client.Disconnect(); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, got := range mustInventory(t, d).VMs {
		found = found || got.ID == vm.ID
	}
	if !found {
		t.Errorf("after reconnecting, the inventory lacks VM %s", vm.ID)
	}
}

// TestVolumeNames: the names of the volumes the driver makes say which VM
// they belong to; other names, those of VMs made before names carried an
// owner included, say nothing.
func TestVolumeNames(t *testing.T) {
	const uuid = "6a0c3c9e-1a1e-4d52-9f56-6c1f5a0c2a11"
	mk := &driver.Marker{Address: "fleet.web[0]", Lineage: "L", SpecHash: "h"}
	owner := ownerOf(mk)
	want := volName{vm: "web-0", owner: owner, uuid: uuid}
	for _, name := range []string{
		diskVolumeName("web-0", owner, uuid),
		seedVolumeName("web-0", owner, uuid),
		grownVolumeName("web-0", owner, uuid, 40),
	} {
		got, ok := parseVolName(name)
		want.name = name
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(volName{})); !ok || diff != "" {
			t.Errorf("parseVolName(%q): ok=%t (-want +got):\n%s", name, ok, diff)
		}
	}
	for _, name := range []string{"web-0-6a0c3c9e.qcow2", "web-0-6a0c3c9e-cidata.iso", "base.qcow2", "web-0-" + owner + "-" + uuid + ".img"} {
		if got, ok := parseVolName(name); ok {
			t.Errorf("parseVolName(%q) = %+v; it is no name of this driver", name, got)
		}
	}
	if ownerOf(&driver.Marker{Address: "fleet.web[0]", Lineage: "L", SpecHash: "other"}) != owner {
		t.Error("the owner changes with the spec hash; it must not, the VM is the same")
	}
	for _, other := range []*driver.Marker{{Address: "fleet.web[1]", Lineage: "L"}, {Address: "fleet.web[0]", Lineage: "M"}} {
		if ownerOf(other) == owner {
			t.Errorf("marker %+v has the owner of %+v", other, mk)
		}
	}
	if ownerOf(nil) != noOwner || ownerOf(&driver.Marker{}) != noOwner {
		t.Error("a VM without a marker has an owner")
	}
}

// TestWithMeta: NovaCron's element in a domain's metadata is replaced, or
// added, and other applications' elements are kept as they are.
func TestWithMeta(t *testing.T) {
	other := `<app:x xmlns:app="https://example.com/app"><vm>not ours</vm></app:x>`
	ours := `<novacron:vm xmlns:novacron="` + Namespace + `"><disk-gb>1</disk-gb></novacron:vm>`
	enc := `<vm xmlns="` + Namespace + `"><disk-gb>2</disk-gb></vm>`
	cases := []struct{ in, want string }{
		{"", enc},
		{other, other + enc},
		{ours, enc},
		{other + "\n" + ours + "\n" + other, other + "\n" + enc + "\n" + other},
	}
	for _, tc := range cases {
		got, err := withMeta(tc.in, enc)
		if err != nil || got != tc.want {
			t.Errorf("withMeta(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

// TestCanonicalIDs: a domain UUID is canonical lower case with dashes;
// other spellings libvirt would read are mapped to it by CanonicalID and
// refused by checkID (so Update, Delete and Migrate never take them for
// the VM); text that is no UUID is no VM's id.
func TestCanonicalIDs(t *testing.T) {
	const canon = "6a0c3c9e-1a1e-4d52-9f56-6c1f5a0c2a11"
	tests := []struct {
		id        string
		canonical string // "" when no UUID
		refused   bool   // checkID's permanent error
	}{
		{canon, canon, false},
		{strings.ToUpper(canon), canon, true},
		{strings.ReplaceAll(canon, "-", ""), canon, true},
		{"6A0C3C9E1A1E4D529F566C1F5A0C2A11", canon, true},
		{" " + canon, "", true},
		{canon + "\n", "", true},
		{"6a0c3c9e1-a1e-4d52-9f56-6c1f5a0c2a11", "", false},
		{"not-a-uuid", "", false},
		{"", "", false},
	}
	d := &Driver{}
	for _, tt := range tests {
		got, ok := d.CanonicalID(tt.id)
		if tt.canonical != "" && (!ok || got != tt.canonical) || tt.canonical == "" && ok && driver.CheckID(tt.id) == nil {
			t.Errorf("CanonicalID(%q) = (%q, %t), want %q", tt.id, got, ok, tt.canonical)
		}
		_, _, err := checkID(tt.id)
		if (err != nil) != tt.refused || (err != nil && driver.KindOf(err) != driver.KindPermanent) {
			t.Errorf("checkID(%q) = %v, want refused %t (permanent)", tt.id, err, tt.refused)
		}
	}
}
