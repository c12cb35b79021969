package gce

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
)

// TestMarkerRoundTrip: any address and lineage (spaces, quotes, slashes,
// colons, accents, long ones) is written as labels that obey Compute
// Engine's rules and read back exactly; user tags stay apart.
func TestMarkerRoundTrip(t *testing.T) {
	long := strings.Repeat("x", 60)
	cases := []driver.Marker{
		{Address: "vm.web", Lineage: "l", SpecHash: "h"},
		{Address: `fleet.web["a b/c:é"]`, Lineage: "5b0c7e4e-0c0e-4f7a-9d5c-2f5e0e0f0a1b", SpecHash: strings.Repeat("f", 64)},
		{Address: `fleet.web["Ünïcødé \"quoted\" \\ back\nline"]`, Lineage: long, SpecHash: "sha256:" + strings.Repeat("0", 64)},
		{Address: "fleet.app[" + strings.Repeat("9", 200) + "]", Lineage: long, SpecHash: ""},
		{Address: "", Lineage: "l", SpecHash: ""}, // empty fields, not a zero marker (that is none)
		{Address: "vm.日本語", Lineage: "UPPER_case-lineage", SpecHash: "h"},
	}
	user := map[string]string{"tier": "web", "env": ""}
	for _, m := range cases {
		labels, err := instanceLabels(user, &m, size{CPU: 2, MemoryMiB: 4096, Name: "e2-medium"})
		if err != nil {
			t.Errorf("%q: %v", m.Address, err)
			continue
		}
		for k, v := range labels {
			if !labelKey().MatchString(k) || !labelValue().MatchString(v) {
				t.Errorf("%q: label %q = %q breaks Compute Engine's rules", m.Address, k, v)
			}
		}
		got, gotUser := markerOf(labels)
		if got == nil {
			t.Errorf("%q: no marker read back from %v", m.Address, labels)
			continue
		}
		if diff := cmp.Diff(m, *got); diff != "" {
			t.Errorf("marker round trip (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(user, gotUser); diff != "" {
			t.Errorf("%q: user labels (-want +got):\n%s", m.Address, diff)
		}
	}
}

// TestMarkerAbsentOrBroken: labels without the marker, or with a field
// missing or not an encoding, carry no marker.
func TestMarkerAbsentOrBroken(t *testing.T) {
	good := markerLabels(driver.Marker{Address: "vm.a", Lineage: "l", SpecHash: "h"})
	for name, mutate := range map[string]func(map[string]string){
		"no version":      func(l map[string]string) { delete(l, labelMarker) },
		"other version":   func(l map[string]string) { l[labelMarker] = "v9" },
		"no address":      func(l map[string]string) { delete(l, prefixAddress+"0") },
		"not an encoding": func(l map[string]string) { l[prefixLineage+"0"] = "1" },
	} {
		l := map[string]string{"tier": "web"}
		for k, v := range good {
			l[k] = v
		}
		mutate(l)
		if m, user := markerOf(l); m != nil || user["tier"] != "web" || len(user) != 1 {
			t.Errorf("%s: marker %v, user labels %v; want none and {tier: web}", name, m, user)
		}
	}
}

// TestTagsRefused: a tag that breaks the label rules is refused naming
// the tag; a long address that leaves no room for the labels is refused.
func TestTagsRefused(t *testing.T) {
	for _, tc := range []struct {
		tags map[string]string
		want string
	}{
		{map[string]string{"Tier": "web"}, `tag "Tier"`},
		{map[string]string{"tier": "Web"}, `tag "tier" = "Web"`},
		{map[string]string{"9lives": "x"}, `tag "9lives"`},
		{map[string]string{"owner": "a b"}, `tag "owner"`},
		{map[string]string{"k": strings.Repeat("v", 64)}, `tag "k"`},
		{map[string]string{"novacron-a0": "x"}, `reserved`},
		{map[string]string{"dotted.key": "x"}, `tag "dotted.key"`},
	} {
		err := checkTags(tc.tags)
		if err == nil || !strings.Contains(err.Error(), tc.want) || driver.KindOf(err) != driver.KindPermanent {
			t.Errorf("checkTags(%v) = %v, want a permanent error naming %s", tc.tags, err, tc.want)
		}
	}
	many := map[string]string{}
	for i := range 60 {
		many["t"+strings.Repeat("x", i)] = "v"
	}
	m := driver.Marker{Address: "vm.a", Lineage: "l", SpecHash: "h"}
	if _, err := instanceLabels(many, &m, size{CPU: 1, MemoryMiB: 1024, Name: "e2-micro"}); err == nil || !strings.Contains(err.Error(), "64") {
		t.Errorf("60 tags and a marker: %v, want an error saying Compute Engine takes 64 labels", err)
	}
}

// TestSizeLabel: the size label round-trips and obeys the label rules.
func TestSizeLabel(t *testing.T) {
	for _, s := range []size{{CPU: 2, MemoryMiB: 4096, Name: "e2-medium"}, {CPU: 4, MemoryMiB: 8192, Name: "n2-custom-4-8192", Pinned: true}} {
		v := sizeLabel(s)
		if !labelValue().MatchString(v) {
			t.Errorf("size label %q breaks the label rules", v)
		}
		if got, ok := parseSizeLabel(v); !ok || got != s {
			t.Errorf("parseSizeLabel(%q) = %+v, %t; want %+v", v, got, ok, s)
		}
	}
	for _, bad := range []string{"", "2_4096", "x_1_e2", "2_4096_e2_pinnedx", "0_1_e2"} {
		if _, ok := parseSizeLabel(bad); ok {
			t.Errorf("parseSizeLabel(%q) read a size", bad)
		}
	}
}

// TestCheapest: the table's cheapest fit, and a custom type's size read
// from its name.
func TestCheapest(t *testing.T) {
	for _, tc := range []struct {
		cpu  int
		mib  int64
		want string
	}{
		{1, 512, "e2-micro"}, {2, 2048, "e2-small"}, {2, 4096, "e2-medium"}, {4, 4096, "e2-highcpu-4"},
		{4, 16384, "e2-standard-4"}, {2, 16384, "e2-highmem-2"}, {64, 262144, "n2-standard-64"},
	} {
		s, err := cheapest(tc.cpu, tc.mib)
		if err != nil || s.Name != tc.want {
			t.Errorf("cheapest(%d, %d) = %s, %v; want %s", tc.cpu, tc.mib, s.Name, err, tc.want)
		}
	}
	if _, err := cheapest(512, 1); err == nil || !strings.Contains(err.Error(), "machine_type") {
		t.Errorf("cheapest(512 vCPUs): %v, want an error naming machine_type", err)
	}
	if s, ok := sizeOfType("n2-custom-6-12288"); !ok || s.CPU != 6 || s.MemoryMiB != 12288 {
		t.Errorf("sizeOfType(n2-custom-6-12288) = %+v, %t", s, ok)
	}
}

// TestCanonicalID: ZONE/NAME in lower case is the one spelling; others
// Compute Engine would read are mapped to it, the rest are no id.
func TestCanonicalID(t *testing.T) {
	for in, want := range map[string]string{
		"us-central1-a/web-0":                            "us-central1-a/web-0",
		"US-CENTRAL1-A/Web-0":                            "us-central1-a/web-0",
		"projects/p/zones/us-central1-a/instances/web-0": "us-central1-a/web-0",
		"https://www.googleapis.com/compute/v1/projects/p/zones/us-central1-a/instances/web-0": "us-central1-a/web-0",
	} {
		if got, ok := canonicalID(in); !ok || got != want {
			t.Errorf("canonicalID(%q) = %q, %t; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"web-0", "1234567890", "us-central1-a/", "us-central1-a/web_0", "a/b/c"} {
		if _, ok := canonicalID(bad); ok {
			t.Errorf("canonicalID(%q) took it for an id", bad)
		}
	}
}

// TestMaxAddress: the factory's MaxAddress is the longest address whose
// marker fits in maxAddressLabels labels, with a workspace's lineage and
// spec hash; beside it the user may still have 44 tags, and the marker
// reads back. One byte more needs another label.
func TestMaxAddress(t *testing.T) {
	if got := Factory().MaxAddress; got != 630 {
		t.Fatalf("Factory().MaxAddress = %d, want maxAddress = 630", got)
	}
	addrLabels := func(addr string) int {
		out := map[string]string{}
		encodeField(out, prefixAddress, addr)
		return len(out)
	}
	longest := "module." + strings.Repeat("m", maxAddress-len("module..vm.x")) + ".vm.x"
	if len(longest) != maxAddress {
		t.Fatalf("test address is %d bytes", len(longest))
	}
	if n := addrLabels(longest); n != maxAddressLabels {
		t.Errorf("an address of %d bytes takes %d labels, want %d", maxAddress, n, maxAddressLabels)
	}
	if n := addrLabels(longest + "x"); n <= maxAddressLabels {
		t.Errorf("an address of %d bytes takes %d labels, want more than %d", maxAddress+1, n, maxAddressLabels)
	}
	user := map[string]string{}
	for i := range 44 {
		user["tag"+strings.Repeat("a", i%3)+string(rune('a'+i%26))+string(rune('a'+i/26))] = "v"
	}
	m := driver.Marker{Address: longest, Lineage: "5b0c7e4e-0c0e-4f7a-9d5c-2f5e0e0f0a1b", SpecHash: strings.Repeat("f", 16)}
	labels, err := instanceLabels(user, &m, size{CPU: 2, MemoryMiB: 4096, Name: "e2-medium"})
	if err != nil {
		t.Fatalf("the longest address with %d tags: %v", len(user), err)
	}
	if got, _ := markerOf(labels); got == nil || *got != m {
		t.Errorf("marker read back = %+v, want %+v", got, m)
	}
}
