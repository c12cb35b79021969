package main

import "testing"

// TestVersionOf: a build given no version (go install …@VERSION) reports
// the module version Go recorded, unless that is a pseudo-version or
// "(devel)"; a stamped version wins.
func TestVersionOf(t *testing.T) {
	for _, c := range []struct{ stamped, module, want string }{
		{devVersion, "v0.2.0", "0.2.0"},
		{devVersion, "v0.3.0-rc.1", "0.3.0-rc.1"},
		{devVersion, "(devel)", devVersion},
		{devVersion, "", devVersion},
		{devVersion, "v0.0.0-20261206150211-3f1c2a9b7d4e", devVersion},
		{devVersion, "v0.2.1-0.20261206150211-3f1c2a9b7d4e", devVersion},
		{devVersion, "v0.2.0+dirty", devVersion},
		{"0.4.0", "v0.2.0", "0.4.0"},
	} {
		if got := versionOf(c.stamped, c.module); got != c.want {
			t.Errorf("versionOf(%q, %q) = %q, want %q", c.stamped, c.module, got, c.want)
		}
	}
}
