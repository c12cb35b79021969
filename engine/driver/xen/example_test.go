package xen

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/novacron/novacron/internal/clitest"
)

// repoRoot is the module's folder, from this package's.
const repoRoot = "../../.."

// exports reads `export NAME='value'` lines up to the end of r, and fails
// on any other line.
func exports(t *testing.T, r io.Reader) map[string]string {
	t.Helper()
	env := map[string]string{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		kv, ok := strings.CutPrefix(sc.Text(), "export ")
		k, v, ok2 := strings.Cut(kv, "=")
		if !ok || !ok2 {
			t.Fatalf("xensim printed %q, not an export line", sc.Text())
		}
		env[k] = strings.TrimSuffix(strings.TrimPrefix(v, "'"), "'")
	}
	return env
}

// TestExampleAgainstXensim builds and starts examples/xen/xensim, reads
// the environment it prints, and runs examples/xen as written through
// nova-plan: apply makes the fleet of 3 and the pinned VM, a plan finds
// nothing to change, moving the pin plans a live migration, destroy
// removes them. Stopped, xensim removes its folder.
func TestExampleAgainstXensim(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "xensim")
	build := exec.Command("go", "build", "-o", bin, "./examples/xen/xensim")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building examples/xen/xensim: %v\n%s", err, out)
	}
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "TMPDIR="+t.TempDir())
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	env := exports(t, out)
	for _, k := range []string{"URL", "USERNAME", "PASSWORD", "CA_FILE"} {
		if env["NOVACRON_XEN_"+k] == "" {
			t.Fatalf("xensim printed no NOVACRON_XEN_%s: %v\n%s", k, env, stderr.String())
		}
		t.Setenv("NOVACRON_XEN_"+k, env["NOVACRON_XEN_"+k])
	}
	spec, err := os.ReadFile(filepath.Join(repoRoot, "examples", "xen", "main.nova.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	clitest.WriteSpec(t, dir, string(spec))
	nova.Run(t, dir, "validate").Must(t, 0, "validate")
	r := nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	if !strings.Contains(r.Stdout, "Apply complete! VMs: 4 added") {
		t.Errorf("the example does not make 4 VMs:\n%s", r.Stdout)
	}
	hosts := map[string]int{}
	for _, vm := range nova.Inventory(t, dir) {
		hosts[vm.Host]++
		if vm.Address == "vm.db-01" && (vm.Host != "xen-01" || vm.DiskGB != 40) {
			t.Errorf("db-01 is on %s with %d GB, want xen-01 with 40 GB", vm.Host, vm.DiskGB)
		}
	}
	if len(hosts) != 2 {
		t.Errorf("the VMs are on %v, want both hosts", hosts)
	}
	nova.NoChanges(t, dir, "apply")
	if diff := nova.Plan(t, dir); len(diff.Changes) != 0 {
		t.Errorf("plan after apply: %v", diff.Actions())
	}
	r = nova.Run(t, dir, "plan", "-var", "db_host=xen-02")
	if r.Code != 0 || !strings.Contains(r.Stdout, "1 to migrate") {
		t.Errorf("moving the pin does not plan a migration:\n%s\n%s", r.Stdout, r.Stderr)
	}
	nova.Run(t, dir, "destroy", "-auto-approve").Must(t, 0, "destroy")

	caDir := filepath.Dir(env["NOVACRON_XEN_CA_FILE"])
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("xensim after SIGTERM: %v\n%s", err, stderr.String())
	}
	if _, err := os.Stat(caDir); !os.IsNotExist(err) {
		t.Errorf("xensim left its folder %s behind (%v)", caDir, err)
	}
}
