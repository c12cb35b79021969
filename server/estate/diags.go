package estate

import (
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/internal/lazyregexp"
)

// diagsError is the error of diagnostics with errors: a lock another run
// holds is a *ConflictError, anything else an *InvalidError carrying the
// diagnostics, file names relative to the spec folder dir, or to the
// workspace's folder (also) for a module's file of an uploaded spec.
func diagsError(diags hcl.Diagnostics, dir string, also ...string) error {
	msg := diagText(diags)
	for _, d := range diags {
		if d.Severity == hcl.DiagError && strings.HasPrefix(d.Summary, "Cannot lock the state") {
			return &ConflictError{Message: msg}
		}
	}
	return &InvalidError{Message: msg, Diagnostics: convertDiags(diags, dir, also...)}
}

// diagText is the first error's summary and detail, paths hidden.
func diagText(diags hcl.Diagnostics) string {
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		if d.Detail == "" {
			return hidePaths(d.Summary)
		}
		return hidePaths(d.Summary + ": " + d.Detail)
	}
	return "failed"
}

// absPath is an absolute path in a message: a "/" at the start or after a
// space, quote or bracket, then path segments.
var absPath = lazyregexp.New(`(^|[\s"'(\[])/(?:[^/\s"'(),:]+/)*([^/\s"'(),:]+)`)

// hidePaths replaces the absolute paths in a message with their base
// names: a spec file's name relative to its workspace folder, and no path
// of the server's ("/srv/estate/web/main.nova.hcl:9,5-63" is
// "main.nova.hcl:9,5-63").
func hidePaths(s string) string { return absPath.ReplaceAllString(s, "$1$2") }

// convertDiags turns diagnostics into their JSON form, file names relative
// to dir (a spec folder's files are named by their base names).
func convertDiags(diags hcl.Diagnostics, dir string, also ...string) []Diagnostic {
	out := make([]Diagnostic, 0, len(diags))
	for _, d := range diags {
		j := Diagnostic{Severity: "error", Summary: hidePaths(d.Summary), Detail: hidePaths(d.Detail)}
		if d.Severity == hcl.DiagWarning {
			j.Severity = "warning"
		}
		if d.Subject != nil && d.Subject.Filename != "" {
			j.Range = &Range{Filename: relName(d.Subject.Filename, dir, also...), Line: d.Subject.Start.Line, Column: d.Subject.Start.Column}
		}
		out = append(out, j)
	}
	return out
}

// relName is a spec file's name relative to its folder dir, or to the
// first of also it is inside.
func relName(name, dir string, also ...string) string {
	for _, d := range append([]string{dir}, also...) {
		if rel, err := filepath.Rel(d, name); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return filepath.Base(name)
}

// where is a source range as "main.nova.hcl:40".
func where(r hcl.Range, dir string) string {
	if r.Filename == "" {
		return ""
	}
	return relName(r.Filename, dir) + ":" + strconv.Itoa(r.Start.Line)
}
