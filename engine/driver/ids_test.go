package driver_test

import (
	"strings"
	"testing"

	"github.com/novacron/novacron/engine/driver"
)

func TestCheckID(t *testing.T) {
	for id, ok := range map[string]bool{
		"vm-000001": true, "3f0c2a9e-1b2c-4d5e-8f90-a1b2c3d4e5f6": true, "ünï": true,
		"": true, " vm-1": false, "vm-1 ": false, "vm-1\n": false, "vm\x1b1": false, "vm\u00851": false, "vm-\xff": false,
	} {
		err := driver.CheckID(id)
		if (err == nil) != ok {
			t.Errorf("CheckID(%q) = %v, want ok %t", id, err, ok)
		}
		if err != nil && driver.KindOf(err) != driver.KindPermanent {
			t.Errorf("CheckID(%q) = %v, a %s error; want a permanent one", id, err, driver.KindOf(err))
		}
	}
}

// lower canonicalizes ids to lower case, as a UUID driver would.
type lower struct{ driver.Driver }

func (lower) CanonicalID(id string) (string, bool) {
	return strings.ToLower(id), !strings.Contains(id, "!")
}

func TestCanonicalID(t *testing.T) {
	tests := []struct {
		d      driver.Driver
		id     string
		want   string
		wantOK bool
	}{
		{lower{}, "AB-cd", "ab-cd", true},
		{lower{}, "a!", "a!", false},
		{lower{}, " ab", " ab", false}, // CheckID first
		{struct{ driver.Driver }{}, "AB", "AB", true},
		{struct{ driver.Driver }{}, "AB\n", "AB\n", false},
	}
	for _, tt := range tests {
		got, ok := driver.CanonicalID(tt.d, tt.id)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("CanonicalID(%T, %q) = (%q, %t), want (%q, %t)", tt.d, tt.id, got, ok, tt.want, tt.wantOK)
		}
	}
}
