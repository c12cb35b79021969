package addrs_test

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/novacron/novacron/engine/addrs"
)

// endpoint parses src as a moved block's from would be.
func endpoint(t *testing.T, src string) (addrs.Endpoint, hcl.Diagnostics) {
	t.Helper()
	expr, diags := hclsyntax.ParseExpression([]byte(src), "x.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("%s: %v", src, diags)
	}
	tr, diags := hcl.AbsTraversalForExpr(expr)
	if diags.HasErrors() {
		t.Fatalf("%s: %v", src, diags)
	}
	return addrs.ParseEndpoint(tr, "from")
}

func mustInstance(t *testing.T, s string) addrs.Instance {
	t.Helper()
	a, err := addrs.ParseInstance(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestEndpointModules: module paths before a fleet or a VM, and modules
// alone, parse to their canonical form; Contains and Moved give where a
// VM goes; In reads a module's moved block from the root.
func TestEndpointModules(t *testing.T) {
	tests := []struct {
		from, to, vm, want string // want "": from does not contain vm
		module, whole      bool
	}{
		{"fleet.web", "module.web_prod.fleet.web", "fleet.web[3]", "module.web_prod.fleet.web[3]", false, true},
		{"module.web_prod.fleet.web", "fleet.web", "module.web_prod.fleet.web[3]", "fleet.web[3]", false, true},
		{"fleet.web[2]", "module.x.fleet.web[0]", "fleet.web[2]", "module.x.fleet.web[0]", false, false},
		{"module.a", "module.b", `module.a["k"].module.inner.vm.db`, `module.b["k"].module.inner.vm.db`, true, true},
		{"module.a", "module.b", "module.a.fleet.web[0]", "module.b.fleet.web[0]", true, true},
		{"module.a", "module.b", "module.ab.fleet.web[0]", "", true, true},
		{"module.a[0]", `module.a["prod"]`, "module.a[0].fleet.web[1]", `module.a["prod"].fleet.web[1]`, true, false},
		{"module.a[0]", `module.a["prod"]`, "module.a[1].fleet.web[1]", "", true, false},
		{`module.e["x"].module.a`, `module.e["x"].module.b`, `module.e["x"].module.a.vm.v`, `module.e["x"].module.b.vm.v`, true, true},
	}
	for _, tt := range tests {
		from, diags := endpoint(t, tt.from)
		to, diags2 := endpoint(t, tt.to)
		if diags.HasErrors() || diags2.HasErrors() {
			t.Errorf("%s → %s: %v %v", tt.from, tt.to, diags, diags2)
			continue
		}
		if from.String() != tt.from || from.IsModule() != tt.module || from.Whole != tt.whole {
			t.Errorf("%s parsed as %s (module %v, whole %v)", tt.from, from, from.IsModule(), from.Whole)
		}
		vm := mustInstance(t, tt.vm)
		if got := from.Contains(vm); got != (tt.want != "") {
			t.Errorf("%s contains %s = %v", tt.from, tt.vm, got)
			continue
		}
		if tt.want != "" {
			if got := from.Moved(vm, to).String(); got != tt.want {
				t.Errorf("%s moved by %s → %s = %s, want %s", tt.vm, tt.from, tt.to, got, tt.want)
			}
		}
	}
	in, _ := endpoint(t, "fleet.web")
	if got := in.In(mustInstance(t, `module.p["x"].vm.v`).Fleet().Module).String(); got != `module.p["x"].fleet.web` {
		t.Errorf("fleet.web in module.p[\"x\"] = %s", got)
	}
	mod, _ := endpoint(t, "module.inner")
	if got := mod.In(mustInstance(t, `module.p.vm.v`).Fleet().Module).String(); got != "module.p.module.inner" {
		t.Errorf("module.inner in module.p = %s", got)
	}
}

// TestEndpointRefused: what is not an endpoint gets a reason.
func TestEndpointRefused(t *testing.T) {
	for src, want := range map[string]string{
		"module":                   "write fleet.NAME",
		"module.a.provider.x":      "it starts with provider, not fleet, vm or module",
		"module.a[1.5].fleet.web":  "not a whole number from 0 up",
		"module.a.fleet":           "a fleet or vm name follows the dot",
		"module.a.vm.db[0]":        "a vm block has a single instance",
		"module.a.fleet.web[0].id": "the address must end after the index or key",
	} {
		_, diags := endpoint(t, src)
		if !diags.HasErrors() || !strings.Contains(diags[0].Detail, want) {
			t.Errorf("%s: %v, want an error saying %q", src, diags, want)
		}
	}
}
