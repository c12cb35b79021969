package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const mod = "example.com/m"

// fakeTree builds a tree from "path: import import …" lines; paths
// without a dot are the module's. files holds the Go source of module
// packages, by relative path.
func fakeTree(t *testing.T, graph string, files map[string]string) *tree {
	t.Helper()
	root := t.TempDir()
	tr := &tree{module: mod, root: root, pkgs: map[string]*pkg{}}
	full := func(p string) string {
		if strings.Contains(strings.SplitN(p, "/", 2)[0], ".") {
			return p
		}
		return mod + "/" + p
	}
	for _, line := range strings.Split(strings.TrimSpace(graph), "\n") {
		path, imports, _ := strings.Cut(line, ":")
		path = strings.TrimSpace(path)
		p := &pkg{ImportPath: full(path)}
		for _, f := range strings.Fields(imports) {
			if test, ok := strings.CutPrefix(f, "test="); ok {
				p.TestImports = append(p.TestImports, full(test))
				continue
			}
			p.Imports = append(p.Imports, full(f))
		}
		tr.pkgs[p.ImportPath] = p
		if p.ImportPath != path {
			p.Module = &struct{ Path string }{mod}
			tr.own = append(tr.own, p)
			p.Dir = filepath.Join(root, path)
		}
		if src, ok := files[path]; ok {
			if err := os.MkdirAll(p.Dir, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(p.Dir, "x.go"), []byte(src), 0o600); err != nil {
				t.Fatal(err)
			}
			p.GoFiles = []string{"x.go"}
		}
	}
	return tr
}

func names(vs []violation) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.rule.name+" "+v.String())
	}
	return out
}

func TestRules(t *testing.T) {
	tests := []struct {
		name, graph string
		files       map[string]string
		want        []string
	}{{
		name: "a layout that keeps every rule",
		graph: `
engine/addrs:
state: engine/addrs
engine/driver:
engine/driver/sim: engine/driver engine/driver/sim/internal test=engine/driver/drivertest test=internal/clitest
engine/driver/sim/internal: engine/driver
engine/driver/drivertest: engine/driver
engine/driver/catalog: engine/driver engine/driver/sim
engine/operation: engine/exec engine/plan
engine/exec: engine/plan
engine/plan: engine/driver state
internal/clitest:
provider: engine/operation github.com/hashicorp/terraform-plugin-go/tfprotov6
github.com/hashicorp/terraform-plugin-go/tfprotov6:`,
		files: map[string]string{
			"engine/operation": "package operation\nimport (\n\"example.com/m/engine/exec\"\n\"example.com/m/engine/plan\"\n)\nvar _ = plan.Diff\nvar _ = exec.Executor{}\n",
			"provider":         "package provider\nimport \"example.com/m/engine/operation\"\nvar _ = operation.X\n",
		},
	}, {
		name: "terraform-plugin reached from engine and state, directly or not",
		graph: `
engine/spec: engine/util2
engine/util2: github.com/hashicorp/terraform-plugin-log/tflog
state: github.com/hashicorp/terraform-plugin-go/tftypes
github.com/hashicorp/terraform-plugin-log/tflog:
github.com/hashicorp/terraform-plugin-go/tftypes:`,
		want: []string{
			"no-terraform-in-engine engine/spec: imports github.com/hashicorp/terraform-plugin-log/tflog (engine/spec → engine/util2 → github.com/hashicorp/terraform-plugin-log/tflog)",
			"no-terraform-in-engine engine/util2: imports github.com/hashicorp/terraform-plugin-log/tflog (engine/util2 → github.com/hashicorp/terraform-plugin-log/tflog)",
			"no-terraform-in-engine state: imports github.com/hashicorp/terraform-plugin-go/tftypes (state → github.com/hashicorp/terraform-plugin-go/tftypes)",
		},
	}, {
		name: "a driver importing the engine, and addrs and state importing the project",
		graph: `
engine/driver:
engine/driver/foo: engine/driver engine/plan test=engine/driver/drivertest test=engine/spec
engine/plan:
engine/spec:
engine/driver/drivertest:
engine/addrs: engine/driver
state: engine/addrs engine/spec`,
		want: []string{
			"drivers-import-only-driver engine/driver/foo: imports engine/plan",
			"drivers-import-only-driver engine/driver/foo: its tests import engine/spec",
			"addrs-imports-nothing engine/addrs: imports engine/driver",
			"state-imports-only-addrs state: imports engine/spec",
		},
	}, {
		name: "a face composing an operation itself",
		graph: `
engine/workspace: engine/exec engine/plan
engine/exec:
engine/plan:
provider: engine/exec engine/plan`,
		files: map[string]string{
			"engine/workspace": "package workspace\nimport (\n\"example.com/m/engine/exec\"\nengineplan \"example.com/m/engine/plan\"\n)\nfunc f() {\n_ = &exec.Executor{}\n_, _ = engineplan.BuildGraph(nil)\n_ = engineplan.Plan{}\n}\n",
			"provider":         "package provider\nimport \"example.com/m/engine/plan\"\nvar _ = plan.DiffImport\n",
		},
		want: []string{
			"one-composer engine/workspace: engine/workspace/x.go:7 uses exec.Executor",
			"one-composer engine/workspace: engine/workspace/x.go:8 uses engineplan.BuildGraph",
			"provider-through-core provider: imports engine/exec",
			"provider-through-core provider: provider/x.go:3 uses plan.DiffImport",
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := names(check(fakeTree(t, tt.graph, tt.files)))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("violations (-want +got):\n%s", diff)
			}
		})
	}
}

// The provider reaching the executor other than through the core fails
// the check: an import of engine/exec, or a call of plan.Diff.
func TestProviderThroughCoreIsEnforced(t *testing.T) {
	tr := fakeTree(t, "provider: engine/exec engine/plan\nengine/exec:\nengine/plan:", map[string]string{
		"provider": "package provider\nimport (\n\"example.com/m/engine/exec\"\n\"example.com/m/engine/plan\"\n)\nvar _ exec.Event\nvar _ = plan.Diff\n",
	})
	var out bytes.Buffer
	if code := report(&out, check(tr), false); code != 1 || !strings.Contains(out.String(), "FAIL provider-through-core") ||
		!strings.Contains(out.String(), "provider: imports engine/exec") || !strings.Contains(out.String(), "uses plan.Diff") {
		t.Errorf("report = %d:\n%s\nwant 1 and both violations of provider-through-core", code, out.String())
	}
}

// A pending rule's violations are reported but pass, unless strict.
func TestReportPending(t *testing.T) {
	r := ruleNamed(t, "provider-through-core")
	r.pending = "a test says so"
	t.Cleanup(func() { r.pending = "" })
	tr := fakeTree(t, "provider: engine/exec\nengine/exec:", nil)
	vs := check(tr)
	var out bytes.Buffer
	if code := report(&out, vs, false); code != 0 || !strings.Contains(out.String(), "PENDING provider-through-core") ||
		!strings.Contains(out.String(), "provider: imports engine/exec") {
		t.Errorf("report = %d:\n%s\nwant 0 and the pending violation listed", code, out.String())
	}
	out.Reset()
	if code := report(&out, vs, true); code != 1 || !strings.Contains(out.String(), "FAIL provider-through-core") {
		t.Errorf("strict report = %d:\n%s\nwant 1 and a failure", code, out.String())
	}
	tr = fakeTree(t, "engine/addrs: state\nstate:", nil)
	out.Reset()
	if code := report(&out, check(tr), false); code != 1 || !strings.Contains(out.String(), "FAIL addrs-imports-nothing") {
		t.Errorf("report = %d:\n%s\nwant 1 and a failure", code, out.String())
	}
}

// ruleNamed returns the rule of that name.
func ruleNamed(t *testing.T, name string) *rule {
	t.Helper()
	for _, r := range rules {
		if r.name == name {
			return r
		}
	}
	t.Fatalf("there is no rule %s", name)
	return nil
}

// The module keeps its layout; pending rules are logged.
func TestModuleLayout(t *testing.T) {
	tr, err := load("../..", "./...")
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.own) < 10 {
		t.Fatalf("go list found %d packages of the module; the check would prove nothing", len(tr.own))
	}
	var out bytes.Buffer
	code := report(&out, check(tr), os.Getenv("NOVA_LAYOUT_STRICT") == "1")
	if code != 0 {
		t.Errorf("the module breaks its layout rules:\n%s", out.String())
	} else {
		t.Log(out.String())
	}
}
