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

// TestServeSkipsBadFolder: a folder whose name is no workspace name does
// not stop serve: the others are served, and serve warns about it.
func TestServeSkipsBadFolder(t *testing.T) {
	dir := quickstartCopy(t)
	bad := filepath.Join(dir, "foo.bak")
	if err := os.Mkdir(bad, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bad, "main.nova.hcl"), []byte("# old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := startServe(t, dir)
	if !strings.Contains(s.stdout.String(), "quickstart") {
		t.Errorf("serve does not serve quickstart:\n%s", s.stdout.String())
	}
	s.stop(t)
	if !strings.Contains(s.stderr.String(), `"foo.bak"`) {
		t.Errorf("serve does not warn about the skipped folder foo.bak:\n%s", s.stderr)
	}
}
