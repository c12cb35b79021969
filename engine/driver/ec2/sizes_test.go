package ec2

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCheapest: the cheapest fitting type of each architecture, for the
// sizes the docs name.
func TestCheapest(t *testing.T) {
	cases := []struct {
		arch string
		cpu  int
		mib  int64
		want string
	}{
		{archX86, 1, 512, "t3a.nano"},
		{archX86, 2, 2048, "t3a.small"},
		{archX86, 2, 4096, "t3a.medium"},
		{archX86, 4, 4096, "t3a.xlarge"},
		{archX86, 8, 8192, "t3a.2xlarge"},
		{archX86, 16, 32768, "c6a.4xlarge"},
		{archX86, 4, 32768, "r6a.xlarge"},
		{archX86, 64, 524288, "r6a.16xlarge"},
		{archARM, 1, 4096, "t4g.medium"},
		{archARM, 16, 65536, "m7g.4xlarge"},
	}
	var got, want []string
	for _, tc := range cases {
		s, err := cheapest(tc.arch, tc.cpu, tc.mib)
		if err != nil {
			t.Fatalf("cheapest(%s, %d, %d): %v", tc.arch, tc.cpu, tc.mib, err)
		}
		got, want = append(got, s.Name), append(want, tc.want)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cheapest types (-want +got):\n%s", diff)
	}
	if _, err := cheapest(archX86, 128, 1024); err == nil {
		t.Error("128 vCPUs fit a type of the table")
	}
}

// TestSizeTag: the size tag reads back what was written, and refuses
// what is not one.
func TestSizeTag(t *testing.T) {
	for _, s := range []size{{CPU: 2, MemoryMiB: 4096, Name: "t3a.medium"}, {CPU: 4, MemoryMiB: 8192, Name: "m6i.xlarge", Pinned: true}} {
		back, ok := parseSizeTag(sizeTag(s))
		if !ok || back != s {
			t.Errorf("parseSizeTag(%q) = %+v, %t; want %+v", sizeTag(s), back, ok, s)
		}
	}
	for _, bad := range []string{"", "2/4096", "0/4096/t3.micro", "2/x/t3.micro", "2/4096/t3.micro/other", "2/4096//"} {
		if s, ok := parseSizeTag(bad); ok {
			t.Errorf("parseSizeTag(%q) = %+v, want no size", bad, s)
		}
	}
}
