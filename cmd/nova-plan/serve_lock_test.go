package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestServeOneServerPerFolder: a second serve on a folder another serve
// serves exits 1 naming the holder (its pid) and serves nothing; once the
// first stops, a new one starts.
func TestServeOneServerPerFolder(t *testing.T) {
	dir := quickstartCopy(t)
	first := startServe(t, dir)
	lock, err := os.ReadFile(filepath.Join(dir, ".nova", "server", "serve.lock"))
	if err != nil {
		t.Fatalf("the serving folder has no serve.lock: %v", err)
	}
	pid := strconv.Itoa(first.cmd.Process.Pid)
	if !strings.Contains(string(lock), pid) {
		t.Errorf("serve.lock does not name the server's pid %s:\n%s", pid, lock)
	}
	r := nova(t, dir, "serve", "-listen=127.0.0.1:0")
	if r.Code != 1 || !strings.Contains(r.Stderr, "pid "+pid) || strings.Contains(r.Stdout, "Serving on") {
		t.Errorf("a second serve: exit %d, want 1 naming pid %s\nstdout:\n%s\nstderr:\n%s", r.Code, pid, r.Stdout, r.Stderr)
	}
	first.stop(t)
	startServe(t, dir).stop(t)
}
