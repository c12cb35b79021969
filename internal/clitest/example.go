package clitest

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

// The examples/ folder's specs and simulators, run as their READMEs say.

// RepoRoot is the module's folder, found from this file's.
func RepoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("clitest: cannot tell where the module is")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Example writes examples/NAME/main.nova.hcl, as the repository holds
// it, into a new test folder and returns the folder.
func Example(t testing.TB, name string) string {
	t.Helper()
	spec, err := os.ReadFile(filepath.Join(RepoRoot(t), "examples", name, "main.nova.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	WriteSpec(t, dir, string(spec))
	return dir
}

// BuildCommand builds the command of the module's package pkg (such as
// "./examples/xen/xensim") into a test folder and returns its path.
func BuildCommand(t testing.TB, pkg string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), filepath.Base(pkg))
	build := exec.Command("go", "build", "-o", bin, pkg)
	build.Dir = RepoRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building %s: %v\n%s", strings.TrimPrefix(pkg, "./"), err, out)
	}
	return bin
}

// Simulator is a running simulator command of examples/ (xensim, vcsim):
// it prints on stdout the `export NAME='value'` lines that point
// nova-plan at it, closes stdout, and serves until it is stopped.
type Simulator struct {
	Env    map[string]string // the exports it printed
	name   string
	cmd    *exec.Cmd
	stderr strings.Builder
}

// StartSimulator starts bin with TMPDIR a test folder, reads its exports
// (with # comment lines among them where comments says so) and kills it
// when the test ends.
func StartSimulator(t testing.TB, bin string, comments bool) *Simulator {
	t.Helper()
	s := &Simulator{name: filepath.Base(bin), cmd: exec.Command(bin)}
	s.cmd.Env = append(os.Environ(), "TMPDIR="+t.TempDir())
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s.cmd.Stderr = &s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.cmd.Process.Kill(); s.cmd.Wait() })
	s.Env = Exports(t, s.name, out, comments)
	return s
}

// Stderr is what the simulator wrote on stderr so far.
func (s *Simulator) Stderr() string { return s.stderr.String() }

// Setenv sets each of names to the value the simulator exported, and
// fails the test on one it did not.
func (s *Simulator) Setenv(t testing.TB, names ...string) {
	t.Helper()
	for _, k := range names {
		if s.Env[k] == "" {
			t.Fatalf("%s printed no %s:\n%v\nstderr:\n%s", s.name, k, s.Env, s.Stderr())
		}
		t.Setenv(k, s.Env[k])
	}
}

// Stop sends SIGTERM and fails the test unless the simulator then exits
// cleanly, having removed its folder, the one that holds the file its
// export caFile names.
func (s *Simulator) Stop(t testing.TB, caFile string) {
	t.Helper()
	folder := filepath.Dir(s.Env[caFile])
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Wait(); err != nil {
		t.Errorf("%s after SIGTERM: %v\n%s", s.name, err, s.Stderr())
	}
	if _, err := os.Stat(folder); !os.IsNotExist(err) {
		t.Errorf("%s left its folder %s behind (%v)", s.name, folder, err)
	}
}

// Exports reads `export NAME='value'` lines up to the end of r, as name
// printed them, and fails on any other line (but a # comment where
// comments says so).
func Exports(t testing.TB, name string, r io.Reader, comments bool) map[string]string {
	t.Helper()
	env := map[string]string{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if comments && strings.HasPrefix(line, "#") {
			continue
		}
		kv, ok := strings.CutPrefix(line, "export ")
		k, v, ok2 := strings.Cut(kv, "=")
		if !ok || !ok2 {
			t.Fatalf("%s printed %q, not an export line", name, line)
		}
		env[k] = strings.TrimSuffix(strings.TrimPrefix(v, "'"), "'") // no value here holds a quote
	}
	return env
}
