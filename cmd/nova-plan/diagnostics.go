package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/plan"
)

// maxDiagnostics is how many diagnostics one command prints; the rest are
// counted. A binary file or a broken generator can yield thousands, and
// the first few say what is wrong.
const maxDiagnostics = 20

// diagnostics prints diagnostics to stderr, and reports whether any is an
// error. Past maxDiagnostics, errors are printed before warnings, so that
// none of those shown hides an error, and the rest are counted.
func (u *ui) diagnostics(diags hcl.Diagnostics) bool {
	shown := diags
	if len(diags) > maxDiagnostics {
		shown = append(bySeverity(diags, true), bySeverity(diags, false)...)[:maxDiagnostics]
	}
	for _, d := range shown {
		fmt.Fprint(u.err, u.renderDiag(d))
		if d.Severity == hcl.DiagError {
			u.said = append(u.said, strings.ToLower(d.Detail))
		} else {
			u.warn(d.Detail)
		}
	}
	if len(shown) < len(diags) {
		fmt.Fprintf(u.err, "\n%s\n", notShown(shown, diags))
	}
	return diags.HasErrors()
}

// warn records a warning's detail as shown.
func (u *ui) warn(detail string) {
	if u.warned == nil {
		u.warned = map[string]bool{}
	}
	u.warned[detail] = true
}

// bySeverity returns the errors, or the other diagnostics, in order.
func bySeverity(diags hcl.Diagnostics, errs bool) hcl.Diagnostics {
	var out hcl.Diagnostics
	for _, d := range diags {
		if (d.Severity == hcl.DiagError) == errs {
			out = append(out, d)
		}
	}
	return out
}

// notShown says how many errors and warnings were left out.
func notShown(shown, all hcl.Diagnostics) string {
	errs := len(bySeverity(all, true)) - len(bySeverity(shown, true))
	warns := len(all) - len(shown) - errs
	var parts []string
	if errs > 0 {
		parts = append(parts, plural(errs, "more error"))
	}
	if warns > 0 {
		parts = append(parts, plural(warns, "more warning"))
	}
	return "… and " + strings.Join(parts, " and ") + ", not shown."
}

func plural(n int, what string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, what)
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// renderDiag renders one diagnostic like Terraform: severity and summary,
// the file, line and enclosing block, the source line with a caret under
// the problem, then the detail. Nothing from the source or from a value
// reaches the terminal raw: control characters are escaped (printable),
// and the user name and password of a URL are hidden (hideUserinfo).
func (u *ui) renderDiag(d *hcl.Diagnostic) string {
	var b strings.Builder
	sev, code := "Error", red
	if d.Severity == hcl.DiagWarning {
		sev, code = "Warning", yellow
	}
	fmt.Fprintf(&b, "\n%s %s\n", u.paint(bold+code, sev+":"), u.paint(bold, printable(d.Summary, false)))
	if d.Subject != nil && d.Subject.Filename != "" { // an empty range is no place
		b.WriteString(u.snippet(*d.Subject))
	}
	if d.Detail != "" {
		fmt.Fprintf(&b, "\n%s\n", printable(d.Detail, true))
	}
	return b.String()
}

func (u *ui) snippet(r hcl.Range) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n  on %s line %d%s:\n", printable(r.Filename, false), r.Start.Line, u.blockContext(r))
	f := u.files[r.Filename]
	if f == nil {
		return b.String()
	}
	lines := strings.Split(string(f.Bytes), "\n")
	if r.Start.Line < 1 || r.Start.Line > len(lines) {
		return b.String()
	}
	line := newSourceLine(strings.TrimRight(lines[r.Start.Line-1], "\r"))
	line.hideUserinfo() // a password in a URL is never shown
	start := min(max(r.Start.Column-1, 0), len(line))
	end := len(line)
	if r.End.Line == r.Start.Line {
		end = min(max(r.End.Column-1, start+1), len(line))
	}
	text, pad, marks := line.window(start, end)
	prefix := fmt.Sprintf("  %d: ", r.Start.Line)
	fmt.Fprintf(&b, "%s%s\n", prefix, text)
	fmt.Fprintf(&b, "%s%s%s\n", strings.Repeat(" ", len(prefix)), pad, u.paint(red, strings.Repeat("^", max(marks, 1))))
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

// alreadySaid reports whether an error printed before says msg (a close
// error repeating why the state could not be saved).
func (u *ui) alreadySaid(msg string) bool {
	msg = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(msg), "."))
	for _, s := range u.said {
		if msg != "" && strings.Contains(s, msg) {
			return true
		}
	}
	return false
}

// withoutPlanWarnings drops the warnings a plan document carries in its
// warnings (the placement warning): with -json or -markdown the document
// says them, and stderr does not say them twice, as for -target's.
func withoutPlanWarnings(diags hcl.Diagnostics, p *plan.Plan) hcl.Diagnostics {
	if p == nil || len(p.Warnings) == 0 {
		return diags
	}
	out := diags[:0:0]
	for _, d := range diags {
		if d.Severity == hcl.DiagWarning && slices.Contains(p.Warnings, d.Detail) {
			continue
		}
		out = append(out, d)
	}
	return out
}
