package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runRelease runs scripts/release.sh (a host build) from dir with env
// added; it returns the exit code and the output, stdout then stderr.
// Every caller expects a refusal before the build, so goreleaser must never
// start: a tripwire `go` first in PATH fails `go tool …` (the only way the
// script starts goreleaser, whose --clean removes the release folder whole)
// and passes everything else to the real go. Without it a regression of
// the script's folder checks would let TestReleaseDistRefused remove /, HOME
// or the checkout — as a test run as root once did.
func runRelease(t *testing.T, root, dir string, env ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(filepath.Join(root, "scripts", "release.sh"))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), append([]string{"NOVA_RELEASE_HOST_ONLY=1", "GPG_FINGERPRINT=", "PATH=" + tripwirePath(t, root)}, env...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), out.String()
}

// tripwirePath is PATH with a folder first whose `go` refuses `go tool`
// (exit 97, "release test tripwire") and runs the real go otherwise. The
// folder is in the checkout: the temporary folders here may be noexec.
func tripwirePath(t *testing.T, root string) string {
	t.Helper()
	realGo, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("go is not in PATH: %v", err)
	}
	bin, err := os.MkdirTemp(root, ".release-tripwire-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(bin) })
	script := "#!/bin/sh\ncase \"$1\" in tool) echo \"release test tripwire: the script started goreleaser: go $*\" >&2; exit 97;; esac\nexec '" + realGo + "' \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return bin + string(os.PathListSeparator) + os.Getenv("PATH")
}

// tree lists the files under dir with their contents, to show that a
// refused release removed and wrote nothing.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if info.IsDir() {
			if info.Name() == ".git" {
				return filepath.SkipDir
			}
			files[path] = "dir"
			return nil
		}
		data, err := os.ReadFile(path)
		files[path] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestReleaseDistRefused: NOVA_RELEASE_DIST is emptied by a release, so
// scripts/release.sh refuses, before building anything and removing
// nothing, a path that is a file, /, $HOME, the checkout or a folder above
// it, or a folder with files that is not a release; a relative path is
// taken from the caller's working directory.
func TestReleaseDistRefused(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	file := filepath.Join(work, "afile")
	notRelease := filepath.Join(work, "notes")
	for path, data := range map[string]string{file: "precious\n", filepath.Join(notRelease, "keep.txt"): "keep\n"} {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	home, _ := os.UserHomeDir()
	for _, c := range []struct {
		name, dir, dist, want string
	}{
		{"a file", root, file, "is a file or a link"},
		{"the root", root, "/", "is / "},
		{"home", root, home, "is your home folder"},
		{"the checkout", root, root, "is the checkout"},
		{"the checkout, relative", root, ".", "is the checkout"},
		{"above the checkout, relative", root, "..", "holds the checkout"},
		{"above the checkout, from a subfolder", filepath.Join(root, "docs"), "../..", "holds the checkout"},
		{"not a release", root, notRelease, "is not empty and is not a release"},
		{"not a release, relative to the caller", work, "notes", notRelease + ") is not empty"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := tree(t, work)
			code, out := runRelease(t, root, c.dir, "VERSION=0.2.0", "NOVA_RELEASE_DIST="+c.dist)
			if code != 1 || !strings.Contains(out, c.want) || strings.Contains(out, "goreleaser") {
				t.Errorf("NOVA_RELEASE_DIST=%s from %s: exit %d, want 1 before the build, with %q:\n%s", c.dist, c.dir, code, c.want, out)
			}
			if after := tree(t, work); len(after) != len(before) || after[file] != "precious\n" {
				t.Errorf("the refused release changed %s", work)
			}
			if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
				t.Fatalf("the refused release removed the checkout: %v", err)
			}
		})
	}
}

// TestReleaseVersionRefused: VERSION must be a semantic version 2.0.0:
// no leading zeros in a number, no empty identifier, no leading v.
func TestReleaseVersionRefused(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dist := filepath.Join(t.TempDir(), "dist")
	for _, v := range []string{"01.2.3", "1.02.3", "1.2.03", "0.2.0-rc..1", "0.2.0-", "0.2.0-rc.01", "0.2.0+", "0.2.0+a..b", "v0.2.0", "0.2", "0.2.0 rc"} {
		code, out := runRelease(t, root, root, "VERSION="+v, "NOVA_RELEASE_DIST="+dist)
		if code != 1 || !strings.Contains(out, "is not a semantic version") {
			t.Errorf("VERSION=%q: exit %d, want 1 saying it is not a semantic version:\n%s", v, code, out)
		}
	}
	if _, err := os.Stat(dist); !os.IsNotExist(err) {
		t.Errorf("a refused version wrote %s: %v", dist, err)
	}
}

// TestReleaseTimeoutRefused: a NOVA_RELEASE_TIMEOUT that is not a Go
// duration is refused before anything is built or written.
func TestReleaseTimeoutRefused(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dist := filepath.Join(t.TempDir(), "dist")
	for _, v := range []string{"1x", "6", "h", "-1h", "1h;echo INJECTED", "1.h"} {
		code, out := runRelease(t, root, root, "VERSION=0.2.0", "NOVA_RELEASE_DIST="+dist, "NOVA_RELEASE_TIMEOUT="+v)
		if code != 1 || !strings.Contains(out, "is not a Go duration") || strings.Contains("\n"+out, "\nINJECTED") {
			t.Errorf("NOVA_RELEASE_TIMEOUT=%q: exit %d, want 1 saying it is not a Go duration:\n%s", v, code, out)
		}
	}
	if _, err := os.Stat(dist); !os.IsNotExist(err) {
		t.Errorf("a refused timeout wrote %s: %v", dist, err)
	}
}

// TestMakeVersionQuoted: make passes VERSION to the shell as one value,
// never as shell text, and `make build` refuses a leading v (the version
// command prints v before the version itself).
func TestMakeVersionQuoted(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ target, version, want string }{
		{"release", "0.2.0;echo INJECTED;false", "is not a semantic version"},
		{"release", "0.2.0 rc", "is not a semantic version"},
		{"build", "0.2.0;echo INJECTED;false", "VERSION="},
		{"build", "v1.2.3", "without its leading v (VERSION=1.2.3)"},
	} {
		cmd := exec.Command("make", "-s", c.target, "VERSION="+c.version, "BIN="+filepath.Join(t.TempDir(), "nova-plan"))
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		if err == nil || strings.Contains("\n"+string(out), "\nINJECTED") || !strings.Contains(string(out), c.want) {
			t.Errorf("make %s VERSION=%q: %v, want a failure saying %q (and no INJECTED line):\n%s", c.target, c.version, err, c.want, out)
		}
	}
}

// TestReleaseUnusableKeyRefused: a signing key that cannot sign (here an
// expired one) is found before the build, and a failed release leaves the
// previous release in NOVA_RELEASE_DIST as it was.
func TestReleaseUnusableKeyRefused(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	fpr := throwawayKeyExpiring(t, "seconds=1")
	time.Sleep(2 * time.Second)
	dist := filepath.Join(t.TempDir(), "dist")
	previous := map[string]string{"artifacts.json": "[]\n", "metadata.json": "{}\n", "terraform-provider-novacron_0.1.0_SHA256SUMS": "old\n"}
	if err := os.Mkdir(dist, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range previous {
		if err := os.WriteFile(filepath.Join(dist, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	before := tree(t, filepath.Dir(dist))
	code, out := runRelease(t, root, root, "VERSION=0.2.0", "NOVA_RELEASE_DIST="+dist, "GPG_FINGERPRINT="+fpr)
	if code != 1 || !strings.Contains(out, "cannot sign") || strings.Contains(out, "goreleaser") {
		t.Errorf("an expired key: exit %d, want 1 before the build saying the key cannot sign:\n%s", code, out)
	}
	if after := tree(t, filepath.Dir(dist)); len(after) != len(before) {
		t.Errorf("the refused release changed %s: %v", filepath.Dir(dist), after)
	}
	for name, data := range previous {
		if got, _ := os.ReadFile(filepath.Join(dist, name)); string(got) != data {
			t.Errorf("%s is now %q", name, got)
		}
	}
}
