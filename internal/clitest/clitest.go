package clitest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Build compiles nova-plan into a new temporary folder; cleanup removes it.
// Call it from TestMain.
func Build() (bin string, cleanup func(), err error) {
	dir, err := os.MkdirTemp("", "nova-plan-test-")
	if err != nil {
		return "", nil, err
	}
	bin = filepath.Join(dir, "nova-plan")
	build := exec.Command("go", "build", "-o", bin, "github.com/novacron/novacron/cmd/nova-plan")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		os.RemoveAll(dir)
		return "", nil, fmt.Errorf("building nova-plan: %w", err)
	}
	return bin, func() { os.RemoveAll(dir) }, nil
}

// Result is one run of the binary.
type Result struct {
	Stdout, Stderr string
	Code           int
}

// Run runs bin in dir with stdin and args, without color.
func Run(t testing.TB, bin, dir, stdin string, args ...string) Result {
	t.Helper()
	return RunEnv(t, bin, dir, stdin, nil, args...)
}

// RunEnv is Run with env (KEY=VALUE entries) added to the environment.
// The state encryption variables (NOVA_STATE_KEY, …) of the test's own
// environment are left out: a test gives the keys it means in env.
func RunEnv(t testing.TB, bin, dir, stdin string, env []string, args ...string) Result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(append(inherited(), "NO_COLOR=1"), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running nova-plan %v: %v", args, err)
	}
	return Result{out.String(), errb.String(), code}
}

// inherited is os.Environ without the state encryption variables.
func inherited() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NOVA_STATE_") {
			out = append(out, kv)
		}
	}
	return out
}

// Must fails the test unless the run exited with want.
func (r Result) Must(t testing.TB, want int, what string) Result {
	t.Helper()
	if r.Code != want {
		t.Fatalf("%s: exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", what, r.Code, want, r.Stdout, r.Stderr)
	}
	return r
}

// WriteSpec writes spec as dir/main.nova.hcl.
func WriteSpec(t testing.TB, dir, spec string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "main.nova.hcl"), []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
}
