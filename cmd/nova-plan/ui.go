package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"golang.org/x/term"
)

// ui writes a command's output, in color when the output is a terminal.
type ui struct {
	out, err io.Writer
	color    bool
	files    map[string]*hcl.File
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

// diagnostics prints diagnostics to stderr, and reports whether any is an
// error.
func (u *ui) diagnostics(diags hcl.Diagnostics) bool {
	for _, d := range diags {
		fmt.Fprint(u.err, u.renderDiag(d))
	}
	return diags.HasErrors()
}

// renderDiag renders one diagnostic like Terraform: severity and summary,
// the file, line and enclosing block, the source line with a caret under
// the problem, then the detail.
func (u *ui) renderDiag(d *hcl.Diagnostic) string {
	var b strings.Builder
	sev, code := "Error", red
	if d.Severity == hcl.DiagWarning {
		sev, code = "Warning", yellow
	}
	fmt.Fprintf(&b, "\n%s %s\n", u.paint(bold+code, sev+":"), u.paint(bold, d.Summary))
	if d.Subject != nil {
		b.WriteString(u.snippet(*d.Subject))
	}
	if d.Detail != "" {
		fmt.Fprintf(&b, "\n%s\n", d.Detail)
	}
	return b.String()
}

func (u *ui) snippet(r hcl.Range) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n  on %s line %d%s:\n", r.Filename, r.Start.Line, u.blockContext(r))
	f := u.files[r.Filename]
	if f == nil {
		return b.String()
	}
	lines := strings.Split(string(f.Bytes), "\n")
	if r.Start.Line < 1 || r.Start.Line > len(lines) {
		return b.String()
	}
	line := strings.TrimRight(lines[r.Start.Line-1], "\r")
	prefix := fmt.Sprintf("  %d: ", r.Start.Line)
	fmt.Fprintf(&b, "%s%s\n", prefix, line)
	start := max(r.Start.Column-1, 0)
	end := len(line)
	if r.End.Line == r.Start.Line {
		end = min(max(r.End.Column-1, start+1), len(line))
	}
	if start > len(line) {
		start = len(line)
	}
	pad := strings.Map(func(c rune) rune {
		if c == '\t' {
			return '\t'
		}
		return ' '
	}, line[:start])
	fmt.Fprintf(&b, "%s%s%s\n", strings.Repeat(" ", len(prefix)), pad, u.paint(red, strings.Repeat("^", max(end-start, 1))))
	return b.String()
}

// blockContext names the top-level block around a range: `, in fleet "web"`.
func (u *ui) blockContext(r hcl.Range) string {
	f := u.files[r.Filename]
	if f == nil {
		return ""
	}
	blk := f.OutermostBlockAtPos(r.Start)
	if blk == nil {
		return ""
	}
	s := ", in " + blk.Type
	for _, l := range blk.Labels {
		s += fmt.Sprintf(" %q", l)
	}
	return s
}
