package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// slowSpec makes n VMs on a simulator whose every call takes latency.
func slowSpec(n int, latency string) string {
	return fmt.Sprintf(`
provider "sim" "lab" {
  hosts          = 8
  host_cpu       = 512
  host_memory_gb = 2048
  latency        = %q
}
template "t" {
  sim { image = "base" }
}
fleet "app" {
  count     = %d
  template  = template.t
  cpu       = 1
  memory_gb = 1
}
`, latency, n)
}

// start runs the binary in the background.
func start(t *testing.T, dir string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(novaBin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return cmd, &out
}

func lockHeld(dir string) func() bool {
	return func() bool {
		_, err := os.Stat(filepath.Join(dir, ".nova", "state.lock"))
		return err == nil
	}
}

func TestConcurrentApplyFailsOnTheLock(t *testing.T) {
	dir := newDir(t, slowSpec(40, "50ms"))
	first, out := start(t, dir, "apply", "-auto-approve", "-parallelism=2")
	waitFor(t, "the first apply to take the lock", 10*time.Second, lockHeld(dir))
	r := nova(t, dir, "apply", "-auto-approve").Must(t, 1, "second apply while the first runs")
	for _, want := range []string{"State is locked by", `operation "apply"`, "force-unlock"} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("lock error lacks %q:\n%s", want, r.Stderr)
		}
	}
	if err := first.Wait(); err != nil {
		t.Fatalf("first apply: %v\n%s", err, out)
	}
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after the first apply")
}

func TestConcurrentApplyWaitsWithLockTimeout(t *testing.T) {
	dir := newDir(t, slowSpec(20, "50ms"))
	first, out := start(t, dir, "apply", "-auto-approve", "-parallelism=2")
	waitFor(t, "the first apply to take the lock", 10*time.Second, lockHeld(dir))
	r := nova(t, dir, "apply", "-auto-approve", "-lock-timeout=60s").Must(t, 0, "second apply waiting for the lock")
	if !strings.Contains(r.Stdout, "No changes.") {
		t.Errorf("the waiting apply should find the first one's work done:\n%s", r.Stdout)
	}
	if err := first.Wait(); err != nil {
		t.Fatalf("first apply: %v\n%s", err, out)
	}
	if n := len(inventory(t, dir).VMs); n != 20 {
		t.Errorf("inventory has %d VMs, want 20", n)
	}
}

// journalLines counts the simulator's journal entries: VMs created so far.
func journalLines(dir string) int {
	data, _ := os.ReadFile(filepath.Join(dir, ".nova", "sim-lab.journal"))
	return bytes.Count(data, []byte("\n"))
}

func TestKillNineThenApplyConverges(t *testing.T) {
	const n = 300
	dir := newDir(t, slowSpec(n, "20ms"))
	cmd, _ := start(t, dir, "apply", "-auto-approve", "-parallelism=10")
	waitFor(t, "the apply to create some VMs", 20*time.Second, func() bool { return journalLines(dir) >= 60 })
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if lines := journalLines(dir); lines >= n {
		t.Fatalf("the apply finished (%d entries) before it was killed; the test proves nothing", lines)
	}
	existing := len(inventory(t, dir).VMs)
	inState := len(strings.Fields(nova(t, dir, "state", "list").Must(t, 0, "state list").Stdout))
	p := planJSON(t, dir)
	if existing == 0 || inState == existing {
		t.Fatalf("after the kill %d VMs exist and %d are in state: the crash left nothing to recover", existing, inState)
	}
	if p.Summary["adopt"] != existing-inState || p.Summary["create"] != n-existing || len(p.Changes) != n-inState {
		t.Fatalf("recovery plan: %v; want %d adopt (created, not saved) and %d create", p.Summary, existing-inState, n-existing)
	}
	nova(t, dir, "apply", "-auto-approve", "-parallelism=50").Must(t, 0, "apply after kill -9")
	seen := map[string]int{}
	for _, vm := range inventory(t, dir).VMs {
		seen[vm.Address]++
		if vm.Address == "" {
			t.Errorf("VM %s (%s) is not managed after recovery", vm.ID, vm.Name)
		}
	}
	for i := range n {
		addr := fmt.Sprintf("fleet.app[%d]", i)
		if seen[addr] != 1 {
			t.Errorf("%s exists %d times, want exactly once", addr, seen[addr])
		}
	}
	if len(seen) != n {
		t.Errorf("inventory has %d addresses, want %d", len(seen), n)
	}
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after recovery")
}

func TestInterruptStopsCleanlyAndSavesState(t *testing.T) {
	const n = 200
	dir := newDir(t, slowSpec(n, "20ms"))
	cmd, out := start(t, dir, "apply", "-auto-approve", "-parallelism=4")
	waitFor(t, "the apply to create some VMs", 20*time.Second, func() bool { return journalLines(dir) >= 20 })
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("interrupted apply: %v, want exit 1\n%s", err, out)
	}
	for _, want := range []string{"Interrupt received", "Apply interrupted."} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	listed := strings.Fields(nova(t, dir, "state", "list").Must(t, 0, "state list").Stdout)
	created := len(inventory(t, dir).VMs)
	if created == 0 || created >= n || len(listed) != created {
		t.Errorf("after the interrupt: %d VMs exist and state lists %d; want every created VM in state, and the apply stopped early", created, len(listed))
	}
	history, _ := os.ReadFile(filepath.Join(dir, ".nova", "history.jsonl"))
	// One record per change never started, and the run's end record.
	if got, want := strings.Count(string(history), `"outcome":"interrupted"`), n-created+1; got != want {
		t.Errorf("the audit log has %d interrupted records, want %d", got, want)
	}
	nova(t, dir, "apply", "-auto-approve", "-parallelism=50").Must(t, 0, "apply after the interrupt")
	if got := len(inventory(t, dir).VMs); got != n {
		t.Errorf("after finishing: %d VMs, want %d", got, n)
	}
}

func TestForceUnlock(t *testing.T) {
	// 9 s of apply: long enough for the commands below to meet its lock on
	// a loaded machine (1.5 s was not).
	dir := newDir(t, slowSpec(30, "300ms"))
	first, _ := start(t, dir, "apply", "-auto-approve", "-parallelism=1")
	waitFor(t, "the apply to take the lock", 10*time.Second, lockHeld(dir))
	var id string
	waitFor(t, "the lock to name its holder", 5*time.Second, func() bool {
		var info struct {
			ID string `json:"id"`
		}
		data, _ := os.ReadFile(filepath.Join(dir, ".nova", "state.lock"))
		if json.Unmarshal(data, &info) == nil && info.ID != "" {
			id = info.ID
			return true
		}
		return false
	})
	r := nova(t, dir, "force-unlock", "-force", "not-the-id").Must(t, 1, "force-unlock with a wrong ID")
	if !strings.Contains(r.Stderr, id) {
		t.Errorf("the error does not name the current lock %s:\n%s", id, r.Stderr)
	}
	nova(t, dir, "force-unlock", "not-asked").Must(t, 1, "force-unlock without -force and no 'yes'")
	r = nova(t, dir, "force-unlock", "-force", id).Must(t, 0, "force-unlock")
	if lockHeld(dir)() {
		t.Error("the lock file is still there after force-unlock")
	}
	_ = first.Process.Kill()
	_ = first.Wait()
}

// Ctrl-C while an apply is still planning (here, reading a slow inventory)
// stops it at once with only the planning interruption: it printed the
// apply's "waiting for the actions in flight", and then "Interrupted".
func TestInterruptApplyWhilePlanning(t *testing.T) {
	for _, args := range [][]string{{"apply", "-auto-approve"}, {"destroy", "-auto-approve"}, {"import", "fleet.app[0]", "vm-000001"}} {
		dir := newDir(t, slowSpec(1, "60s"))
		cmd, out := start(t, dir, args...)
		waitFor(t, "the command to take the lock", 10*time.Second, lockHeld(dir))
		time.Sleep(300 * time.Millisecond) // into the inventory read, which takes a minute
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			t.Fatal(err)
		}
		begun := time.Now()
		err := cmd.Wait()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
			t.Fatalf("%v interrupted while planning: %v, want exit 1\n%s", args, err, out)
		}
		if d := time.Since(begun); d > 20*time.Second {
			t.Errorf("%v took %s to stop after the interrupt", args, d)
		}
		mustSay(t, out.String(), "Interrupt received: stopping. Nothing has been changed.", "Error: Interrupted")
		for _, bad := range []string{"actions in flight", "Apply interrupted", "Cannot read the inventory"} {
			if strings.Contains(out.String(), bad) {
				t.Errorf("%v interrupted while planning says %q:\n%s", args, bad, out)
			}
		}
		if lockHeld(dir)() {
			t.Errorf("%v left the lock held", args)
		}
	}
}
