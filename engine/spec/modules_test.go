package spec

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver/azure"
	"github.com/novacron/novacron/engine/driver/ec2"
	"github.com/zclconf/go-cty/cty"
)

func TestModulesThreeEnvironments(t *testing.T) {
	dir := filepath.Join("testdata", "modules", "valid", "three_envs")
	s, diags := NewLoader().Load(dir, Options{Registry: simRegistry()})
	if diags.HasErrors() {
		t.Fatal(renderDiags(diags, dir))
	}
	var got []string
	for _, f := range s.Fleets {
		for _, inst := range f.Instances {
			got = append(got, inst.Address+" "+inst.Name)
		}
	}
	want := []string{
		`module.batch[0].vm.db batch0-db`,
		`module.batch[1].vm.db batch1-db`,
		`module.env["dev"].fleet.web[0] dev-web-0`,
		`module.env["dev"].vm.db dev-db`,
		`module.env["staging"].fleet.web[0] staging-web-0`,
		`module.env["staging"].vm.db staging-db`,
		`module.web_prod.fleet.web[0] prod-web-0`,
		`module.web_prod.fleet.web[1] prod-web-1`,
		`module.web_prod.vm.db prod-db`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("instances (-want +got):\n%s", diff)
	}
	fleets := map[string]cty.Value{}
	for _, f := range s.Fleets {
		fleets[f.Address()] = cty.DynamicVal
	}
	outs, diags := s.EvalOutputs(fleets)
	if diags.HasErrors() {
		t.Fatal(renderDiags(diags, dir))
	}
	var shown []string
	for _, o := range outs {
		shown = append(shown, o.Name+"="+o.Value.GoString())
	}
	if joined := strings.Join(shown, "\n"); !strings.Contains(joined, `batch_envs=cty.TupleVal([]cty.Value{cty.StringVal("batch0"), cty.StringVal("batch1")})`) {
		t.Errorf("outputs:\n%s", joined)
	}
}

// TestModuleDiagnosticsGolden loads each testdata/modules/diagnostics/<case>/
// folder, whose modules are in its subfolders, and compares the rendered
// diagnostics with <case>/expected.txt (-update rewrites it). As in
// TestDiagnosticsGolden, every error must start on a line marked # ERROR,
// in any spec file of the case's tree, and every marked line must have one.
func TestModuleDiagnosticsGolden(t *testing.T) {
	cases, err := filepath.Glob(filepath.Join("testdata", "modules", "diagnostics", "*"))
	if err != nil || len(cases) == 0 {
		t.Fatalf("no cases under testdata/modules/diagnostics: %v", err)
	}
	for _, dir := range cases {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			s, diags := NewLoader().Load(dir, Options{Registry: simRegistry()})
			if !diags.HasErrors() || s != nil {
				t.Fatalf("want errors and no Spec, got %v and %s", s != nil, renderDiags(diags, dir))
			}
			checkTreeMarkers(t, dir, diags)
			got := renderDiags(diags, dir)
			golden := filepath.Join(dir, "expected.txt")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

func checkTreeMarkers(t *testing.T, dir string, diags hcl.Diagnostics) {
	t.Helper()
	marked := map[string]bool{}
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(path, FileSuffix) {
			return err
		}
		src, err := os.ReadFile(path)
		for i, line := range strings.Split(string(src), "\n") {
			if strings.HasSuffix(line, errorMarker) {
				marked[fmt.Sprintf("%s:%d", path, i+1)] = true
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	hit := map[string]bool{}
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		if d.Subject == nil {
			t.Errorf("error without a range: %s", renderDiag(d, dir))
			continue
		}
		key := fmt.Sprintf("%s:%d", d.Subject.Filename, d.Subject.Start.Line)
		if !marked[key] {
			t.Errorf("error at %s, which is not a line marked %q: %s", key, errorMarker, renderDiag(d, dir))
		}
		hit[key] = true
	}
	for key := range marked {
		if !hit[key] {
			t.Errorf("%s is marked %q, but no error starts there", key, errorMarker)
		}
	}
}

// writeTree writes files (slash-separated path → contents) into a new
// temporary folder, making the folders on the way.
func writeTree(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// nestedSpec is a root calling module m1, which calls m2, … down to
// m<depth>, whose fleet has one VM.
func nestedSpec(depth int) map[string]string {
	files := map[string]string{"main.nova.hcl": simPreamble + `module "m1" { source = "./m1" }` + "\n"}
	path := ""
	for i := 1; i <= depth; i++ {
		path += fmt.Sprintf("m%d/", i)
		src := fmt.Sprintf("module \"m%d\" { source = \"./m%d\" }\n", i+1, i+1)
		if i == depth {
			src = "fleet \"w\" {\n  name      = \"deep\"\n  template  = template.ubuntu-22.04\n  cpu       = 1\n  memory_gb = 1\n}\n"
		}
		files[path+"m.nova.hcl"] = src
	}
	return files
}

func TestModuleDepthBound(t *testing.T) {
	s, diags := NewLoader().Load(writeTree(t, nestedSpec(MaxModuleDepth)), Options{Registry: simRegistry()})
	if diags.HasErrors() {
		t.Fatalf("%d levels: %s", MaxModuleDepth, renderDiags(diags, ""))
	}
	want := strings.Repeat("module.m1.", 1)
	for i := 2; i <= MaxModuleDepth; i++ {
		want += fmt.Sprintf("module.m%d.", i)
	}
	if got := s.Fleets[0].Instances[0].Address; got != want+"fleet.w" {
		t.Errorf("address %q, want %q", got, want+"fleet.w")
	}
	_, diags = NewLoader().Load(writeTree(t, nestedSpec(MaxModuleDepth+1)), Options{Registry: simRegistry()})
	got := renderDiags(diags, "")
	if !strings.Contains(got, fmt.Sprintf("Modules nested too deeply: This module block would be at depth %d; modules nest at most %d deep.", MaxModuleDepth+1, MaxModuleDepth)) {
		t.Errorf("one level more: %s", got)
	}
}

// A module's variables are checked by its own validation rules, a
// sensitive argument makes the variable sensitive, and an output that
// shows it must say so in the caller too.
func TestModuleInputsAndOutputs(t *testing.T) {
	files := map[string]string{
		"main.nova.hcl": simPreamble + `
variable "token" {
  default   = "s3cret-value"
  sensitive = true
}
module "m" {
  source = "./m"
  size   = 3
  token  = var.token
}
output "names" { value = module.m.names }
output "tok" { value = module.m.tok }
`,
		"m/m.nova.hcl": `
variable "size" {
  type = number
  validation {
    condition     = var.size < 10
    error_message = "At most 9."
  }
}
variable "token" {}
fleet "w" {
  count     = var.size
  name      = "w-${count.index}"
  template  = template.ubuntu-22.04
  cpu       = 1
  memory_gb = 1
}
output "names" { value = fleet.w[*].name }
output "tok" {
  value     = var.token
  sensitive = true
}
`,
	}
	_, diags := NewLoader().Load(writeTree(t, files), Options{Registry: simRegistry()})
	got := renderDiags(diags, "")
	if !strings.Contains(got, `Output refers to sensitive values: The value of output "tok" comes from a sensitive value.`) {
		t.Errorf("the root's output of a sensitive module output: %s", got)
	}
	files["main.nova.hcl"] = strings.Replace(files["main.nova.hcl"], `output "tok" { value = module.m.tok }`, `output "tok" {
  value     = module.m.tok
  sensitive = true
}`, 1)
	files["main.nova.hcl"] = strings.Replace(files["main.nova.hcl"], "size   = 3", "size   = 12", 1)
	_, diags = NewLoader().Load(writeTree(t, files), Options{Registry: simRegistry()})
	if got := renderDiags(diags, ""); !strings.Contains(got, "Invalid value for variable: At most 9.") || strings.Count(got, "ERROR") != 1 {
		t.Errorf("a module's validation rule: %s", got)
	}
	files["main.nova.hcl"] = strings.Replace(files["main.nova.hcl"], "size   = 12", "size   = 3", 1)
	s, diags := NewLoader().Load(writeTree(t, files), Options{Registry: simRegistry()})
	if diags.HasErrors() {
		t.Fatal(renderDiags(diags, ""))
	}
	if !strings.Contains(strings.Join(s.sensitiveTexts(), ","), "s3cret-value") {
		t.Error("the module's sensitive value is not known to the root's Redactor")
	}
	fleets := map[string]cty.Value{"module.m.fleet.w": cty.TupleVal([]cty.Value{
		cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal("w-0")}),
	})}
	outs, diags := s.EvalOutputs(fleets)
	if diags.HasErrors() || len(outs) != 2 || outs[0].Value.GoString() != `cty.TupleVal([]cty.Value{cty.StringVal("w-0")})` || !outs[1].Sensitive {
		t.Errorf("outputs %#v, %s", outs, renderDiags(diags, ""))
	}
}

// A module path that makes an address longer than EC2's and Azure's tag
// values is refused by the spec, naming the provider and the limit; the
// same spec on the sim, which has no such limit, loads.
func TestModuleAddressTooLongForTags(t *testing.T) {
	reg := simRegistry()
	reg.Register(ec2.Factory())
	reg.Register(azure.Factory())
	long := strings.Repeat("x", 100)
	files := map[string]string{
		"main.nova.hcl": `
provider "ec2" "aws" {
  region = "eu-west-1"
}
provider "sim" "lab" {}
template "t" {
  ec2 { ami = "ami-0abcdef1234567890" }
  sim { image = "i" }
}
module "m" {
  for_each = toset(["` + long + `xxxxxxxxxxxxxxxxxxxx"])
  source   = "./m"
}
module "short" {
  source = "./m"
  prefix = "s"
}
`,
		"m/m.nova.hcl": `
variable "prefix" {
  default = "l"
}
module "inner_` + long + `" {
  source = "./inner"
  prefix = var.prefix
}
`,
		"m/inner/i.nova.hcl": `
variable "prefix" {}
fleet "web" {
  provider  = provider.ec2.aws
  count     = 2
  name      = "${var.prefix}-web-${count.index}"
  template  = template.t
  cpu       = 1
  memory_gb = 1
}
`,
	}
	_, diags := NewLoader().Load(writeTree(t, files), Options{Registry: reg})
	got := renderDiags(diags, "")
	if strings.Count(got, "ERROR") != 1 || !strings.Contains(got, `VM address too long for its provider: module.m["`+long[:20]) ||
		!strings.Contains(got, "is 259 characters long, but provider ec2.aws (ec2) keeps a VM's address in a tag of at most 256 characters") {
		t.Errorf("diagnostics:\n%s", got)
	}
}

// A root import block can adopt a VM into a module's address; one into a
// module instance the spec does not make is refused.
func TestImportIntoModule(t *testing.T) {
	files := map[string]string{
		"main.nova.hcl": simPreamble + `
module "m" {
  source = "./m"
}
import {
  to = module.m.fleet.w[1]
  id = "vm-000001"
}
`,
		"m/m.nova.hcl": `
fleet "w" {
  count     = 2
  name      = "w-${count.index}"
  template  = template.ubuntu-22.04
  cpu       = 1
  memory_gb = 1
}
`,
	}
	s, diags := NewLoader().Load(writeTree(t, files), Options{Registry: simRegistry()})
	if diags.HasErrors() {
		t.Fatal(renderDiags(diags, ""))
	}
	if len(s.Imports) != 1 || s.Imports[0].Address != "module.m.fleet.w[1]" || s.Instance("module.m.fleet.w[1]") == nil {
		t.Errorf("imports %+v", s.Imports)
	}
	files["main.nova.hcl"] = strings.Replace(files["main.nova.hcl"], "fleet.w[1]", "fleet.w[5]", 1)
	_, diags = NewLoader().Load(writeTree(t, files), Options{Registry: simRegistry()})
	if got := renderDiags(diags, ""); !strings.Contains(got, "Import into an address the spec does not declare: module.m.fleet.w has no VM module.m.fleet.w[5]") {
		t.Errorf("diagnostics: %s", got)
	}
}
