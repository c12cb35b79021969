package local_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

// startHolder runs this test binary as a lock holder on dir and waits
// until it holds the lock.
func startHolder(t *testing.T, dir string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"="+dir)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		cmd.Process.Kill()
		cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if strings.TrimSpace(line) != "locked" {
		t.Fatalf("lock holder said %q (%v), want \"locked\"", line, err)
	}
	go io.Copy(io.Discard, stdout)
	return cmd
}

func TestLockHeldByLiveProcess(t *testing.T) {
	dir := t.TempDir()
	child := startHolder(t, dir)
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	_, err := local.New(dir).Lock(ctx, state.LockInfo{Operation: "plan", Who: "parent@test"})
	var locked *state.LockedError
	if !errors.As(err, &locked) {
		t.Fatalf("Lock = %v, want a *state.LockedError", err)
	}
	h := locked.Holder
	if h.PID != child.Process.Pid || h.Who != "child@test" || h.Operation != "apply" || h.ID == "" {
		t.Errorf("LockedError.Holder = %+v, want pid %d, child@test, apply, an id", h, child.Process.Pid)
	}
	if want := filepath.Join(dir, local.LockFile); h.Path != want {
		t.Errorf("LockedError.Holder.Path = %q, want %q", h.Path, want)
	}
}

func TestLockTakesOverKilledHolder(t *testing.T) {
	dir := t.TempDir()
	child := startHolder(t, dir)
	if err := child.Process.Kill(); err != nil { // SIGKILL: no chance to clean up
		t.Fatal(err)
	}
	child.Wait()
	if _, err := os.Stat(filepath.Join(dir, local.LockFile)); err != nil {
		t.Fatalf("the killed holder left no lock file, so nothing is taken over: %v", err)
	}
	s := local.New(dir)
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	start := time.Now()
	id, err := s.Lock(ctx, state.LockInfo{Operation: "apply", Who: "parent@test"})
	if err != nil {
		t.Fatalf("Lock after the holder was killed: %v", err)
	}
	// A lock a live process held would be waited on until ctx ends (1 s);
	// a dead holder's is taken at once. The bound leaves room for a loaded
	// machine while still telling the two apart.
	if took := time.Since(start); took > 800*time.Millisecond {
		t.Errorf("taking over a dead holder's lock took %v", took)
	}
	wantHolderFile(t, dir, id, os.Getpid())
	if err := s.Unlock(id); err != nil {
		t.Errorf("Unlock: %v", err)
	}
}

// wantHolderFile checks the lock file names the given lock and process.
func wantHolderFile(t *testing.T, dir, id string, pid int) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, local.LockFile))
	if err != nil {
		t.Fatal(err)
	}
	var got state.LockInfo
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatalf("lock file %s: %v", data, err)
	}
	want := state.LockInfo{ID: id, Operation: "apply", Who: "parent@test", PID: pid,
		Created: got.Created, Path: filepath.Join(dir, local.LockFile)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("lock file (-want +got):\n%s", diff)
	}
	if got.Created.IsZero() {
		t.Errorf("lock file has no creation time")
	}
}

// A write killed between creating its temporary file and renaming it (kill
// -9, a power cut) leaves state.json.tmp-NNN behind. The next Lock removes
// those, and only those.
func TestLockRemovesTemporaryStateFiles(t *testing.T) {
	dir := t.TempDir()
	leftovers := []string{"state.json.tmp-1267526339", "state.json.tmp-7"}
	kept := []string{"state.json.tmp-", "state.json.tmp-12a", "state.json.tmp-1.bak", "other.json.tmp-123", "sim-lab.json.tmp123"}
	for _, name := range append(append([]string{}, leftovers...), kept...) {
		writeFile(t, filepath.Join(dir, name), "{")
	}
	s := local.New(dir)
	id := lock(t, s, "plan")
	defer s.Unlock(id)
	var got []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		got = append(got, e.Name())
	}
	want := append([]string{local.LockFile}, kept...)
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("files after Lock (-want +got):\n%s", diff)
	}
	notes := s.Repairs()
	if len(notes) != 1 || !strings.Contains(notes[0], leftovers[0]) || !strings.Contains(notes[0], leftovers[1]) {
		t.Errorf("Repairs = %q, want one note naming %v", notes, leftovers)
	}
}

// A lock held through a file whose record names no holder (empty, not
// JSON, or not NovaCron's) is reported as such, with the file to remove,
// never as a holder with no name, pid 0 and no lock ID.
func TestLockWithAnUnnamedHolder(t *testing.T) {
	for body, want := range map[string]string{
		"":             "the lock file is empty",
		"garbage\n":    "does not hold a NovaCron lock record",
		`{"hello": 1}`: "has no lock ID",
	} {
		dir := t.TempDir()
		path := filepath.Join(dir, local.LockFile)
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 250*time.Millisecond)
		_, err = local.New(dir).Lock(ctx, state.LockInfo{Operation: "plan"})
		cancel()
		f.Close()
		var locked *state.LockedError
		if !errors.As(err, &locked) || locked.Unnamed == "" {
			t.Fatalf("body %q: Lock = %v, want a LockedError without a holder", body, err)
		}
		for _, w := range []string{want, "does not say who holds it", "rm " + path} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("body %q: %q lacks %q", body, err, w)
			}
		}
		if err := local.New(dir).ForceUnlock("x"); err == nil || !strings.Contains(err.Error(), "rm "+path) {
			t.Errorf("body %q: ForceUnlock = %v, want the file to remove", body, err)
		}
	}
}
