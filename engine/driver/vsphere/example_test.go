package vsphere

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/vcsim"
)

// repoRoot is the module's folder, from this package's.
const repoRoot = "../../.."

// buildVcsim builds the examples/vsphere/vcsim command.
func buildVcsim(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "vcsim")
	build := exec.Command("go", "build", "-o", bin, "./examples/vsphere/vcsim")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building examples/vsphere/vcsim: %v\n%s", err, out)
	}
	return bin
}

// exports reads `export NAME='value'` lines up to the end of r, and fails
// on any other line that is not a comment.
func exports(t *testing.T, r io.Reader) map[string]string {
	t.Helper()
	env := map[string]string{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		kv, ok := strings.CutPrefix(line, "export ")
		k, v, ok2 := strings.Cut(kv, "=")
		if !ok || !ok2 {
			t.Fatalf("vcsim printed %q, not an export line", line)
		}
		env[k] = strings.TrimSuffix(strings.TrimPrefix(v, "'"), "'") // no value here holds a quote
	}
	return env
}

// TestExampleAgainstVcsim starts `go run ./examples/vsphere/vcsim` (built
// once), reads the environment it prints, and runs examples/vsphere as
// written through nova-plan: apply makes the fleet of 3 and the pinned VM,
// a plan finds nothing to change, destroy removes them. Killed, the
// simulator removes its files.
func TestExampleAgainstVcsim(t *testing.T) {
	cmd := exec.Command(buildVcsim(t))
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
	env := exports(t, out) // vcsim closes its stdout once it serves
	for _, k := range []string{"NOVACRON_VSPHERE_URL", "NOVACRON_VSPHERE_USER", "NOVACRON_VSPHERE_PASSWORD", "NOVACRON_VSPHERE_CA_FILE"} {
		if env[k] == "" {
			t.Fatalf("vcsim printed no %s:\n%v\nstderr:\n%s", k, env, stderr.String())
		}
		t.Setenv(k, env[k])
	}
	if !strings.Contains(stderr.String(), "SIMULATED vCenter") {
		t.Errorf("vcsim does not say it is a simulator:\n%s", stderr.String())
	}

	spec, err := os.ReadFile(filepath.Join(repoRoot, "examples", "vsphere", "main.nova.hcl"))
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
	vms := nova.Managed(t, dir)
	if len(vms) != 4 || vms["vm.db-01"].Host != "DC0_C0_H1" || vms["fleet.web[0]"].DiskGB != 20 {
		t.Errorf("after apply: %+v; want 4 VMs, db-01 on DC0_C0_H1, 20 GB web disks", vms)
	}
	sim := &vcsim.Sim{URL: env["NOVACRON_VSPHERE_URL"], User: env["NOVACRON_VSPHERE_USER"],
		Password: env["NOVACRON_VSPHERE_PASSWORD"], CAFile: env["NOVACRON_VSPHERE_CA_FILE"]}
	for name, want := range map[string]string{"web-0": "disks [20] GiB, 1 NIC", "db-01": "disks [40] GiB, 1 NIC"} {
		if got := hardware(t, sim, name); got != want {
			t.Errorf("VM %s on vCenter has %s; want %s", name, got, want)
		}
	}
	nova.NoChanges(t, dir, "apply")
	nova.Run(t, dir, "destroy", "-auto-approve").Must(t, 0, "destroy")

	caDir := filepath.Dir(env["NOVACRON_VSPHERE_CA_FILE"])
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("vcsim after SIGTERM: %v\n%s", err, stderr.String())
	}
	if _, err := os.Stat(caDir); !os.IsNotExist(err) {
		t.Errorf("vcsim left its folder %s behind (%v)", caDir, err)
	}
}

// TestVcsimDetach: -detach prints the environment and the PID of a
// simulator that keeps serving after the command returned, until killed;
// then it removes its folder.
func TestVcsimDetach(t *testing.T) {
	cmd := exec.Command(buildVcsim(t), "-detach", "-hosts", "2")
	cmd.Env = append(os.Environ(), "TMPDIR="+t.TempDir())
	text, err := cmd.Output()
	if err != nil {
		t.Fatalf("vcsim -detach: %v", err)
	}
	env := exports(t, strings.NewReader(string(text)))
	pid, err := strconv.Atoi(env["NOVACRON_VCSIM_PID"])
	if err != nil {
		t.Fatalf("vcsim -detach printed no NOVACRON_VCSIM_PID:\n%s", text)
	}
	proc, _ := os.FindProcess(pid)
	t.Cleanup(func() { proc.Kill() })
	for _, k := range []string{"URL", "USER", "PASSWORD", "CA_FILE"} {
		t.Setenv("NOVACRON_VSPHERE_"+k, env["NOVACRON_VSPHERE_"+k])
	}
	dir := t.TempDir()
	clitest.WriteSpec(t, dir, badSpec(`  cluster = "DC0_C0"`, "novacron-template", ""))
	nova.Run(t, dir, "plan", "-detailed-exitcode").Must(t, 2, "plan against the detached simulator")

	if err := proc.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	caDir := filepath.Dir(env["NOVACRON_VSPHERE_CA_FILE"])
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := os.Stat(caDir)
		if os.IsNotExist(err) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the detached simulator left %s behind 10 s after SIGTERM", caDir)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
