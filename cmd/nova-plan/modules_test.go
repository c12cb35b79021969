package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/internal/clitest"
)

// copySpecTree copies the spec files of src and its subfolders (a root
// module and the modules it calls) into dst.
func copySpecTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(path, ".nova.hcl") {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(dst, filepath.Dir(rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// envAddresses are the addresses of n web VMs in each of the example's
// three environments, in address order.
func envAddresses(n int, envs ...string) []string {
	var out []string
	for _, env := range envs {
		for i := range n {
			out = append(out, fmt.Sprintf(`module.web[%q].fleet.web[%d]`, env, i))
		}
	}
	return out
}

func planAddresses(t *testing.T, dir string, args ...string) map[string][]string {
	t.Helper()
	r := nova(t, dir, append([]string{"plan", "-json"}, args...)...).Must(t, 0, "plan -json "+strings.Join(args, " "))
	var p clitest.Plan
	if err := json.Unmarshal([]byte(r.Stdout), &p); err != nil {
		t.Fatalf("plan -json: %v\n%s", err, r.Stdout)
	}
	out := map[string][]string{}
	for _, c := range p.Changes {
		out[c.Action] = append(out[c.Action], c.Address)
	}
	for _, as := range out {
		slices.Sort(as)
	}
	return out
}

func lines(s string) []string { return strings.Fields(s) }

// TestExampleModules runs examples/modules as its comment says, through
// the binary on the embedded sim: 3 environments × web_per_env VMs of one
// local module, addressed module.web["ENV"].fleet.web[i] in the plan, the
// markers, the state, -target, state list and rm, graph and history.
func TestExampleModules(t *testing.T) {
	dir := t.TempDir()
	copySpecTree(t, filepath.Join("..", "..", "examples", "modules"), dir)
	all := envAddresses(3, "dev", "prod", "staging")

	if got := planAddresses(t, dir); !cmp.Equal(got, map[string][]string{"create": all}) {
		t.Fatalf("plan of the example (-want +got):\n%s", cmp.Diff(map[string][]string{"create": all}, got))
	}
	if got := planAddresses(t, dir, "-var=web_per_env=5")["create"]; len(got) != 15 {
		t.Errorf("with web_per_env=5 the plan creates %d VMs, want 3 × 5", len(got))
	}
	prod := envAddresses(3, "prod")
	if got := planAddresses(t, dir, `-target=module.web["prod"]`); !cmp.Equal(got, map[string][]string{"create": prod}) {
		t.Errorf("-target=module.web[\"prod\"] (-want +got):\n%s", cmp.Diff(map[string][]string{"create": prod}, got))
	}
	if got := planAddresses(t, dir, "-target=module.web")["create"]; len(got) != 9 {
		t.Errorf("-target=module.web plans %d creates, want all 9", len(got))
	}
	graph := nova(t, dir, "graph").Must(t, 0, "graph").Stdout
	if !strings.Contains(graph, `module.web[\"staging\"].fleet.web[2] (create)`) {
		t.Errorf("graph lacks the module address:\n%s", graph)
	}

	out := nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply").Stdout
	if !strings.Contains(out, `prod_names = ["prod-web-0", "prod-web-1", "prod-web-2"]`) ||
		!strings.Contains(out, `staging = ["staging-web-0", "staging-web-1", "staging-web-2"]`) {
		t.Errorf("apply's outputs:\n%s", out)
	}
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after apply")
	managed := (&clitest.CLI{Bin: novaBin}).Managed(t, dir)
	for _, a := range all {
		env := strings.Split(a, `"`)[1]
		if vm, ok := managed[a]; !ok || !strings.HasPrefix(vm.Name, env+"-web-") {
			t.Errorf("no VM marked %s in the inventory (%v)", a, vm)
		}
	}
	if got := lines(nova(t, dir, "state", "list").Must(t, 0, "state list").Stdout); !cmp.Equal(got, all) {
		t.Errorf("state list (-want +got):\n%s", cmp.Diff(all, got))
	}
	if got := lines(nova(t, dir, "state", "list", `module.web["dev"]`).Must(t, 0, "state list MODULE").Stdout); !cmp.Equal(got, envAddresses(3, "dev")) {
		t.Errorf("state list module.web[\"dev\"]: %v", got)
	}
	show := nova(t, dir, "state", "show", `module.web["prod"].fleet.web[1]`).Must(t, 0, "state show").Stdout
	if !strings.Contains(show, `vm "prod-web-1"`) {
		t.Errorf("state show:\n%s", show)
	}

	nova(t, dir, "destroy", "-auto-approve", `-target=module.web["dev"]`).Must(t, 0, "destroy -target=module")
	if got := lines(nova(t, dir, "state", "list").Must(t, 0, "state list").Stdout); !cmp.Equal(got, envAddresses(3, "prod", "staging")) {
		t.Errorf("after destroying module.web[\"dev\"] the state holds %v", got)
	}
	nova(t, dir, "state", "mv", `module.web["staging"].fleet.web[2]`, `module.web["staging"].fleet.web[3]`).Must(t, 0, "state mv")
	rm := nova(t, dir, "state", "rm", `module.web["staging"]`).Must(t, 0, "state rm MODULE").Stdout
	if strings.Count(rm, "Removed module.web[\"staging\"]") != 3 || !strings.Contains(rm, `module.web["staging"].fleet.web[3]`) {
		t.Errorf("state rm module.web[\"staging\"]:\n%s", rm)
	}
	nova(t, dir, "state", "rm", "module.nope").Must(t, 1, "state rm of a module with nothing in the state")
	hist := nova(t, dir, "history").Must(t, 0, "history").Stdout
	if !strings.Contains(hist, `module.web["dev"].fleet.web[0]  delete  ok`) {
		t.Errorf("history lacks the module address:\n%s", hist)
	}
	devHist := nova(t, dir, "history", `-address=module.web["dev"]`).Must(t, 0, "history -address=MODULE").Stdout
	if strings.Count(devHist, `module.web["dev"].fleet.web[`) != 6 || strings.Contains(devHist, "prod") {
		t.Errorf("history -address=module.web[\"dev\"] (3 creates, 3 deletes):\n%s", devHist)
	}
	nova(t, dir, "destroy", "-auto-approve").Must(t, 0, "destroy")
	if got := nova(t, dir, "state", "list").Must(t, 0, "state list").Stdout; got != "" {
		t.Errorf("after destroy the state holds %q", got)
	}
}

// A module address given to -target that matches nothing, or that is
// not an address, is an error naming it.
func TestModuleTargetErrors(t *testing.T) {
	dir := t.TempDir()
	copySpecTree(t, filepath.Join("..", "..", "examples", "modules"), dir)
	for arg, want := range map[string]string{
		"-target=module.nope":      "-target=module.nope matches no fleet or VM inside that module in the spec or state",
		"-target=module.web[":      "in module.web: the index or key does not end with ']'",
		"-target=module.web.":      "it ends with a dot after",
		`-target=module.web["qa"]`: `matches no fleet or VM inside that module`,
	} {
		r := nova(t, dir, "plan", arg).Must(t, 1, "plan "+arg)
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("plan %s: stderr lacks %q:\n%s", arg, want, r.Stderr)
		}
	}
}
