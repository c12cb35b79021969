package driver_test

import (
	"testing"

	"github.com/novacron/novacron/engine/driver"
)

// TestSizeChoice: a record reads back what was written with either
// separator, and what is no record is refused.
func TestSizeChoice(t *testing.T) {
	for _, sep := range []string{"/", "_"} {
		for _, c := range []driver.SizeChoice{{CPU: 2, MemoryMiB: 4096, Name: "t3a.medium"}, {CPU: 4, MemoryMiB: 8192, Name: "e2-custom-4-8192", Pinned: true}} {
			back, ok := driver.ParseSizeChoice(c.Record(sep), sep)
			if !ok || back != c {
				t.Errorf("ParseSizeChoice(%q) = %+v, %t; want %+v", c.Record(sep), back, ok, c)
			}
		}
	}
	if got, want := (driver.SizeChoice{CPU: 2, MemoryMiB: 4096, Name: "m6i.large", Pinned: true}).Record("/"), "2/4096/m6i.large/pinned"; got != want {
		t.Errorf("Record = %q, want %q", got, want)
	}
	for _, bad := range []string{"", "2/4096", "0/4096/t3.micro", "2/x/t3.micro", "2/4096/t3.micro/other", "2/4096//"} {
		if c, ok := driver.ParseSizeChoice(bad, "/"); ok {
			t.Errorf("ParseSizeChoice(%q) = %+v, want no size", bad, c)
		}
	}
}
