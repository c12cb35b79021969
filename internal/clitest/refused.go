package clitest

import (
	"strings"
	"testing"
)

// Refusal is what a run that bad input refuses must print besides its
// exit code 1 and its one diagnostic.
type Refusal struct {
	Want    []string // each in stderr, compared without case (a message's first letter is capitalised when shown)
	Exact   []string // each in stderr, letter for letter
	NotWant []string // none in stderr, compared without case
	Once    []string // each at most once in stderr: only in the quoted source
	Secrets []string // none in stderr or stdout; empty ones are skipped
}

// Refused runs each of cmds in dir, which must exit 1 with exactly one
// diagnostic ("Error:") that says what r asks.
func (c *CLI) Refused(t testing.TB, dir string, r Refusal, cmds ...[]string) {
	t.Helper()
	for _, cmd := range cmds {
		res := c.Run(t, dir, cmd...).Must(t, 1, strings.Join(cmd, " "))
		r.check(t, cmd[0], res)
	}
}

func (r Refusal) check(t testing.TB, cmd string, res Result) {
	t.Helper()
	lower := strings.ToLower(res.Stderr)
	for _, w := range r.Want {
		if !strings.Contains(lower, strings.ToLower(w)) {
			t.Errorf("%s: stderr lacks %q:\n%s", cmd, w, res.Stderr)
		}
	}
	for _, w := range r.Exact {
		if !strings.Contains(res.Stderr, w) {
			t.Errorf("%s: stderr lacks %q:\n%s", cmd, w, res.Stderr)
		}
	}
	for _, w := range r.NotWant {
		if strings.Contains(lower, strings.ToLower(w)) {
			t.Errorf("%s: stderr holds %q:\n%s", cmd, w, res.Stderr)
		}
	}
	for _, w := range r.Once {
		if n := strings.Count(res.Stderr, w); n > 1 {
			t.Errorf("%s: stderr holds %q %d times, want it only in the quoted source:\n%s", cmd, w, n, res.Stderr)
		}
	}
	if n := strings.Count(res.Stderr, "Error:"); n != 1 {
		t.Errorf("%s: %d diagnostics, want one:\n%s", cmd, n, res.Stderr)
	}
	for _, s := range r.Secrets {
		if s != "" && strings.Contains(res.Stderr+res.Stdout, s) {
			t.Errorf("%s: the output shows a secret:\n%s", cmd, res.Stderr)
		}
	}
}
