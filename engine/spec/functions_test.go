package spec

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// length counts characters of strings and elements of collections, as
// Terraform's does.
func TestLength(t *testing.T) {
	s := mustLoad(t, map[string]string{"main.nova.hcl": simPreamble + `
locals {
  names = ["a", "b", "c"]
}
fleet "web" {
  count     = length(local.names) + length("xy")
  name      = "web-${length(element(local.names, count.index))}-${count.index}"
  template  = template.ubuntu-22.04
  cpu       = length({ a = 1 })
  memory_gb = 1
}
`}, Options{})
	f := s.Fleets[0]
	if len(f.Instances) != 5 || f.Instances[0].CPU != 1 || f.Instances[4].Name != "web-1-4" {
		t.Errorf("length: %d instances, cpu %d, last name %q; want 5, 1, web-1-4",
			len(f.Instances), f.Instances[0].CPU, f.Instances[4].Name)
	}
}

// A provider block's meta-arguments are the executor's, not the driver's.
func TestProviderMetaArguments(t *testing.T) {
	src := strings.Replace(simPreamble, `provider "sim" "lab" {}`, "provider \"sim\" \"lab\" {\n  parallelism = 3\n  rate_limit = 2.5\n}", 1)
	s := mustLoad(t, map[string]string{"main.nova.hcl": src}, Options{})
	p := s.Providers["sim.lab"]
	if p.Parallelism != 3 || p.RateLimit != 2.5 {
		t.Errorf("parallelism %d, rate_limit %g; want 3 and 2.5", p.Parallelism, p.RateLimit)
	}
	for _, k := range []string{"parallelism", "rate_limit"} {
		if _, ok := p.Config[k]; ok {
			t.Errorf("the driver's config holds the meta-argument %s", k)
		}
	}
}

// The value of a sensitive variable given on the command line never
// appears in the "file" a diagnostic prints.
func TestSensitiveCommandLineValueMasked(t *testing.T) {
	l := NewLoader()
	dir := writeSpec(t, map[string]string{"main.nova.hcl": `
variable "pin" {
  type      = number
  sensitive = true
}
` + simPreamble})
	_, diags := l.Load(dir, Options{Registry: simRegistry(), Vars: []VarArg{{Name: "pin", Value: "hunter2"}}})
	if !diags.HasErrors() {
		t.Fatal("a non-number for a number variable loaded without error")
	}
	f := l.Files()["<value for var.pin>"]
	if f == nil {
		t.Fatal("the command-line value has no pseudo-file for diagnostics")
	}
	if diff := cmp.Diff("*******", string(f.Bytes)); diff != "" {
		t.Errorf("the pseudo-file shows the value (-want +got):\n%s", diff)
	}
}

// index is Terraform's index(list, value): the position of the value in
// the list. It was mapped to go-cty's element lookup, so
// index(["a", "b", "c"], 1) gave "b".
func TestIndexIsTerraforms(t *testing.T) {
	for _, tt := range []struct{ expr, want string }{
		{`index(["a", "b", "c"], "b")`, "1"},
		{`index([10, 20, 30], 30)`, "2"},
		{`index(["a", "b", "c"], 1)`, "the list has no element equal to this value"},
		{`index(["a", "b"], "z")`, "the list has no element equal to this value"},
		{`index({ a = 1 }, 1)`, "index needs a list or tuple, not object"},
	} {
		src := simPreamble + "output \"x\" {\n  value = " + tt.expr + "\n}\n"
		s, diags := loadSpec(t, map[string]string{"main.nova.hcl": src}, Options{})
		got := renderDiags(diags, "")
		if s != nil {
			outs, ds := s.EvalOutputs(nil)
			if ds.HasErrors() || len(outs) != 1 {
				t.Fatalf("%s: %s", tt.expr, renderDiags(ds, ""))
			}
			got = outs[0].Value.AsBigFloat().String()
		}
		if !strings.Contains(got, tt.want) {
			t.Errorf("%s = %s; want %s", tt.expr, got, tt.want)
		}
	}
}
