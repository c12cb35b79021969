package catalog_test

import (
	"strings"
	"testing"

	"github.com/novacron/novacron/engine/driver/catalog"
)

// A setting that turns TLS verification off is read only where the user
// writes it: an environment variable left set must never turn it off.
func TestInsecureSettingsAreNeverReadFromTheEnvironment(t *testing.T) {
	r := catalog.Default()
	found := 0
	for _, typ := range r.Types() {
		f, _ := r.Lookup(typ)
		for _, s := range f.Settings {
			if !strings.Contains(s.Name, "insecure") {
				continue
			}
			found++
			if !s.NoEnv {
				t.Errorf("%s setting %s turns verification off but may be read from the environment; set NoEnv", typ, s.Name)
			}
		}
	}
	if found == 0 {
		t.Fatal("no driver has an insecure setting: the test looks for the wrong names")
	}
}
