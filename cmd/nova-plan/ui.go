package main

import (
	"fmt"
	"io"
	"os"

	"github.com/hashicorp/hcl/v2"
	"golang.org/x/term"
)

// ui writes a command's output, in color when the output is a terminal.
type ui struct {
	out, err io.Writer
	color    bool
	files    map[string]*hcl.File
	said     []string // the details of the errors printed, lowercase
	// warned holds the details of the warnings printed: a plan warning
	// that a diagnostic already showed is not shown again.
	warned map[string]bool
}

func newUI(e *env, noColor bool) *ui {
	return &ui{out: e.stdout, err: e.stderr, color: !noColor && isTerminal(e.stdout) && os.Getenv("NO_COLOR") == ""}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

const (
	green  = "\x1b[32m"
	yellow = "\x1b[33m"
	red    = "\x1b[31m"
	cyan   = "\x1b[36m"
	bold   = "\x1b[1m"
	reset  = "\x1b[0m"
)

// paint wraps s in a color when color is on.
func (u *ui) paint(code, s string) string {
	if !u.color {
		return s
	}
	return code + s + reset
}

func (u *ui) printf(format string, args ...any) { fmt.Fprintf(u.out, format, args...) }

// errorf prints a one-line error (no source).
func (u *ui) errorf(format string, args ...any) int {
	u.diagnostics(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: fmt.Sprintf(format, args...)}})
	return 1
}
