package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/novacron/novacron/internal/tmpfs"
)

// The disk holding .nova fills up during an apply (here its inodes: the
// simulator, which keeps its journal in .nova too, goes on working, as a
// remote hypervisor would). The apply used to go on creating VMs that no
// state recorded, and threw the state it held in memory away. Now it stops
// starting changes, writes the state to a recovery file (in $TMPDIR, since
// .nova is full) and prints how to restore it; restored, the state records
// every VM, and the next apply finishes the job.
func TestDiskFullDuringApplyStopsAndKeepsTheState(t *testing.T) {
	const n = 40
	dir := newDir(t, slowSpec(n, "100ms"))
	data := filepath.Join(dir, ".nova")
	tmpfs.Mount(t, data, "size=16m,nr_inodes=200")
	tmp := t.TempDir()
	// Run from the folder above, with -chdir, as the review did: the
	// instructions printed must work from where the user is.
	cmd := exec.Command(novaBin, "-chdir="+filepath.Base(dir), "apply", "-auto-approve", "-parallelism=2")
	cmd.Dir, cmd.Env = filepath.Dir(dir), append(os.Environ(), "NO_COLOR=1", "TMPDIR="+tmp)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	waitFor(t, "the apply to create some VMs", 20*time.Second, func() bool { return journalLines(dir) >= 4 })
	free := tmpfs.FillInodes(t, data)
	err := cmd.Wait()
	free()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("apply on a full disk: %v, want exit 1\nstdout:\n%s\nstderr:\n%s", err, &stdout, &stderr)
	}
	for _, want := range []string{"Apply stopped: the state could not be saved.", "no space left on device", "No change was started after that"} {
		if !strings.Contains(stdout.String()+stderr.String(), want) {
			t.Errorf("output lacks %q:\nstdout:\n%s\nstderr:\n%s", want, &stdout, &stderr)
		}
	}
	created := len(inventory(t, dir).VMs)
	saved := len(strings.Fields(nova(t, dir, "state", "list").Must(t, 0, "state list").Stdout))
	if created >= n || saved >= created {
		t.Fatalf("%d of %d VMs were created and state.json records %d: want the apply stopped, with VMs the state file lacks", created, n, saved)
	}
	restore := restoreCommand(t, stderr.String())
	if !strings.HasPrefix(restore[1], tmp) || restore[2] != filepath.Join(dir, ".nova", "state.json") {
		t.Errorf("restore command %q: want a recovery file in $TMPDIR (.nova is full) copied to %s", restore, filepath.Join(dir, ".nova", "state.json"))
	}
	if want := "nova-plan -chdir=" + filepath.Base(dir) + " plan"; !strings.Contains(stderr.String(), want) {
		t.Errorf("the instructions lack %q, the plan to run from where the apply ran:\n%s", want, &stderr)
	}
	if repeated := regexp.MustCompile(`writing (\S+): write (\S+):`).FindStringSubmatch(stderr.String()); repeated != nil && repeated[1] == repeated[2] {
		t.Errorf("the error repeats the path %s:\n%s", repeated[1], &stderr)
	}
	run := exec.Command(restore[0], restore[1:]...)
	run.Dir = filepath.Dir(dir)
	if out, err := run.CombinedOutput(); err != nil {
		t.Fatalf("%q: %v\n%s", restore, err, out)
	}
	if p := planJSON(t, dir); p.Summary["adopt"] != 0 || p.Summary["create"] != n-created {
		t.Errorf("plan after restoring: %v; want %d to create and nothing to adopt: the recovery file records every VM made", p.Summary, n-created)
	}
	nova(t, dir, "apply", "-auto-approve", "-parallelism=20").Must(t, 0, "apply after restoring")
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after finishing")
}

// restoreCommand returns the `cp FROM TO` line the apply printed.
func restoreCommand(t *testing.T, stderr string) []string {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(stderr))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 3 && f[0] == "cp" {
			return f
		}
	}
	t.Fatalf("no `cp RECOVERY STATE` line in:\n%s", stderr)
	return nil
}

// A state write that fails on a full disk used to say the path twice:
// "writing X: write X: no space left on device".
func TestStateWriteOnAFullDiskSaysThePathOnce(t *testing.T) {
	dir := newDir(t, defaultSpec().String())
	data := filepath.Join(dir, ".nova")
	tmpfs.Mount(t, data, "size=1m")
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	// A lock file of one page: taking the lock truncates it and writes
	// its record into the page it frees, so the lock still works.
	if err := os.WriteFile(filepath.Join(data, "state.lock"), make([]byte, 4096), 0o600); err != nil {
		t.Fatal(err)
	}
	free := tmpfs.Fill(t, data)
	defer free()
	r := nova(t, dir, "state", "rm", "vm.db-01").Must(t, 1, "state rm on a full disk")
	if !strings.Contains(r.Stderr, "Cannot write the state") || !strings.Contains(r.Stderr, "no space left on device") {
		t.Fatalf("state rm on a full disk:\n%s", r.Stderr)
	}
	if repeated := regexp.MustCompile(`(\S+\.tmp-\d+)\S*: \w+ (\S+\.tmp-\d+)`).FindStringSubmatch(r.Stderr); repeated != nil && repeated[1] == repeated[2] {
		t.Errorf("the error repeats the path %s:\n%s", repeated[1], r.Stderr)
	}
}
