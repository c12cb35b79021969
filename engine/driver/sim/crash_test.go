package sim

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/novacron/novacron/engine/driver"
)

// crashDirEnv selects the crash helper mode of the test binary: it opens
// the cluster in that folder and creates VMs until it is killed.
const crashDirEnv = "NOVACRON_SIM_CRASH_HELPER_DIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashDirEnv); dir != "" {
		crashHelper(dir)
		os.Exit(3) // unreachable unless something failed
	}
	os.Exit(m.Run())
}

var crashConfig = driver.Config{"host_cpu": int64(4096), "host_memory_gb": float64(1 << 20)}

// crashHelper creates VMs from four goroutines and prints the ID of each
// one whose Create returned, until the parent kills the process.
func crashHelper(dir string) {
	d, err := Open(context.Background(), driver.OpenRequest{Name: "lab", DataDir: dir, Config: crashConfig})
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper: Open:", err)
		return
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				vm, err := d.Create(context.Background(), spec(fmt.Sprintf("g%d-%d", g, i), ""))
				if err != nil {
					fmt.Fprintln(os.Stderr, "helper: Create:", err)
					return
				}
				fmt.Println(vm.ID) // one write(2), atomic on a pipe
			}
		})
	}
	wg.Wait()
}

// runAndKill starts the helper on dir, kills it with SIGKILL once it has
// reported n VMs, and returns every ID it reported.
func runAndKill(t *testing.T, dir string, n int) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var reported []string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		reported = append(reported, sc.Text())
		if len(reported) == n {
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
		}
	}
	err = cmd.Wait()
	if len(reported) < n {
		t.Fatalf("helper reported %d VMs before it ended (%v), want at least %d", len(reported), err, n)
	}
	if err == nil {
		t.Fatal("helper exited cleanly, want it killed")
	}
	return reported
}

func TestCrashKeepsEveryCreatedVM(t *testing.T) {
	dir := t.TempDir()
	reported := runAndKill(t, dir, 300)

	// A torn line, as a crash in the middle of a write could leave.
	journal := filepath.Join(dir, "sim-lab.journal")
	appendFile(t, journal, `{"op":"put","vm":{"id":"vm-999999","name":"torn","ho`)

	d := open(t, dir, crashConfig)
	listed := ids(mustInventory(t, d))
	for _, id := range reported {
		if !slices.Contains(listed, id) {
			t.Errorf("VM %s was created before the kill but is missing after Open", id)
		}
	}
	if slices.Contains(listed, "vm-999999") {
		t.Error("the VM of the torn journal line was replayed")
	}
	t.Logf("helper reported %d VMs; %d journaled", len(reported), len(listed))

	// The torn tail is cut off: the next entries start on a line of their own.
	next := mustCreate(t, d, spec("after-crash", ""))
	crash(t, d)
	d = open(t, dir, crashConfig)
	if got := ids(mustInventory(t, d)); !slices.Contains(got, next.ID) || len(got) != len(listed)+1 {
		t.Errorf("after a second replay: %d VMs (has %s: %t), want %d including it",
			len(got), next.ID, slices.Contains(got, next.ID), len(listed)+1)
	}
}

func appendFile(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
