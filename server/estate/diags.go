package estate

import (
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// diagsError is the error of diagnostics with errors: a lock another run
// holds is a *ConflictError, anything else an *InvalidError carrying the
// diagnostics, file names relative to the spec folder dir.
func diagsError(diags hcl.Diagnostics, dir string) error {
	msg := diagText(diags)
	for _, d := range diags {
		if d.Severity == hcl.DiagError && strings.HasPrefix(d.Summary, "Cannot lock the state") {
			return &ConflictError{Message: msg}
		}
	}
	return &InvalidError{Message: msg, Diagnostics: convertDiags(diags, dir)}
}

// diagText is the first error's summary and detail.
func diagText(diags hcl.Diagnostics) string {
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		if d.Detail == "" {
			return d.Summary
		}
		return d.Summary + ": " + d.Detail
	}
	return "failed"
}

// convertDiags turns diagnostics into their JSON form, file names relative
// to dir (a spec folder's files are named by their base names).
func convertDiags(diags hcl.Diagnostics, dir string) []Diagnostic {
	out := make([]Diagnostic, 0, len(diags))
	for _, d := range diags {
		j := Diagnostic{Severity: "error", Summary: d.Summary, Detail: d.Detail}
		if d.Severity == hcl.DiagWarning {
			j.Severity = "warning"
		}
		if d.Subject != nil && d.Subject.Filename != "" {
			j.Range = &Range{Filename: relName(d.Subject.Filename, dir), Line: d.Subject.Start.Line, Column: d.Subject.Start.Column}
		}
		out = append(out, j)
	}
	return out
}

// relName is a spec file's name relative to its folder dir.
func relName(name, dir string) string {
	if rel, err := filepath.Rel(dir, name); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
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
