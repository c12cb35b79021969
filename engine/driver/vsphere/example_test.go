package vsphere

import (
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

// TestExampleAgainstVcsim starts `go run ./examples/vsphere/vcsim` (built
// once), reads the environment it prints, and runs examples/vsphere as
// written through nova-plan: apply makes the fleet of 3 and the pinned VM,
// a plan finds nothing to change, destroy removes them. Killed, the
// simulator removes its files.
func TestExampleAgainstVcsim(t *testing.T) {
	proc := clitest.StartSimulator(t, clitest.BuildCommand(t, "./examples/vsphere/vcsim"), true) // vcsim closes its stdout once it serves
	proc.Setenv(t, "NOVACRON_VSPHERE_URL", "NOVACRON_VSPHERE_USER", "NOVACRON_VSPHERE_PASSWORD", "NOVACRON_VSPHERE_CA_FILE")
	if !strings.Contains(proc.Stderr(), "SIMULATED vCenter") {
		t.Errorf("vcsim does not say it is a simulator:\n%s", proc.Stderr())
	}
	dir := clitest.Example(t, "vsphere")
	nova.Run(t, dir, "validate").Must(t, 0, "validate")
	r := nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	if !strings.Contains(r.Stdout, "Apply complete! VMs: 4 added") {
		t.Errorf("the example does not make 4 VMs:\n%s", r.Stdout)
	}
	vms := nova.Managed(t, dir)
	if len(vms) != 4 || vms["vm.db-01"].Host != "DC0_C0_H1" || vms["fleet.web[0]"].DiskGB != 20 {
		t.Errorf("after apply: %+v; want 4 VMs, db-01 on DC0_C0_H1, 20 GB web disks", vms)
	}
	sim := &vcsim.Sim{URL: proc.Env["NOVACRON_VSPHERE_URL"], User: proc.Env["NOVACRON_VSPHERE_USER"],
		Password: proc.Env["NOVACRON_VSPHERE_PASSWORD"], CAFile: proc.Env["NOVACRON_VSPHERE_CA_FILE"]}
	for name, want := range map[string]string{"web-0": "disks [20] GiB, 1 NIC", "db-01": "disks [40] GiB, 1 NIC"} {
		if got := hardware(t, sim, name); got != want {
			t.Errorf("VM %s on vCenter has %s; want %s", name, got, want)
		}
	}
	nova.NoChanges(t, dir, "apply")
	nova.Run(t, dir, "destroy", "-auto-approve").Must(t, 0, "destroy")

	proc.Stop(t, "NOVACRON_VSPHERE_CA_FILE")
}

// TestVcsimDetach: -detach prints the environment and the PID of a
// simulator that keeps serving after the command returned, until killed;
// then it removes its folder.
func TestVcsimDetach(t *testing.T) {
	cmd := exec.Command(clitest.BuildCommand(t, "./examples/vsphere/vcsim"), "-detach", "-hosts", "2")
	cmd.Env = append(os.Environ(), "TMPDIR="+t.TempDir())
	text, err := cmd.Output()
	if err != nil {
		t.Fatalf("vcsim -detach: %v", err)
	}
	env := clitest.Exports(t, "vcsim", strings.NewReader(string(text)), true)
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
