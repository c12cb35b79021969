//go:build unix

package regularfile

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A FIFO is refused at once: opening it to read would wait for a writer.
func TestReadFIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err := Read(path, 1<<20)
	if err == nil || !strings.Contains(err.Error(), "is a named pipe (FIFO), not a regular file") {
		t.Errorf("Read of a FIFO: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Read of a FIFO took %s", d)
	}
}
