package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal pair, closed when the test ends: what a
// terminal emulator gives a command.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("opening /dev/ptmx (a pseudo-terminal is needed for this test): %v", err)
	}
	t.Cleanup(func() { master.Close() })
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlocking the pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("naming the pseudo-terminal: %v", err)
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("opening /dev/pts/%d: %v", n, err)
	}
	t.Cleanup(func() { slave.Close() })
	return master, slave
}

// statusLine matches the progress line on a terminal.
var statusLine = regexp.MustCompile(`\[(\d+)/(\d+)\] \d+%  elapsed (\S+)  ETA`)

// On a terminal the progress line is drawn from the start of the apply and
// redrawn while nothing finishes, so the elapsed time moves.
func TestProgressOnATerminalMovesBeforeTheFirstChangeFinishes(t *testing.T) {
	dir := newDir(t, slowSpec(2, "2s"))
	master, slave := openPTY(t)
	cmd := exec.Command(novaBin, "apply", "-auto-approve", "-parallelism=2")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = slave, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	var out bytes.Buffer
	copied := make(chan struct{})
	go func() { // the test's reader: it ends when the terminal closes
		defer close(copied)
		_, _ = out.ReadFrom(master)
	}()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("apply: %v\n%s", err, stderr.String())
	}
	<-copied
	var elapsed []time.Duration
	for _, m := range statusLine.FindAllStringSubmatch(out.String(), -1) {
		d, err := time.ParseDuration(m[3])
		if err != nil {
			t.Fatalf("elapsed %q: %v", m[3], err)
		}
		if m[1] == "0" {
			elapsed = append(elapsed, d)
		}
	}
	if len(elapsed) < 3 {
		t.Fatalf("the status line was drawn %d times before the first change finished (about 2 s); want it from the start and about every second:\n%q", len(elapsed), out.String())
	}
	for i := 1; i < len(elapsed); i++ {
		if elapsed[i] < elapsed[i-1] || elapsed[i]-elapsed[i-1] > 1500*time.Millisecond {
			t.Errorf("elapsed went %v → %v between two redraws; want it to move at least every second", elapsed[i-1], elapsed[i])
		}
	}
	if elapsed[len(elapsed)-1] == elapsed[0] {
		t.Errorf("elapsed stayed at %v while no change finished", elapsed[0])
	}
}
