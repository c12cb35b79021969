package spec

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/sim"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// simRegistry is a registry holding the real sim driver type.
func simRegistry() *driver.Registry {
	r := &driver.Registry{}
	r.Register(sim.Factory())
	return r
}

// simPreamble is the provider and template most test specs share.
const simPreamble = `
provider "sim" "lab" {}
template "ubuntu-22.04" {
  sim { image = "ubuntu-22.04" }
}
`

// writeSpec writes files (name → contents) into a new temporary folder.
func writeSpec(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// loadSpec loads files with the sim registry filled into opts.
func loadSpec(t testing.TB, files map[string]string, opts Options) (*Spec, hcl.Diagnostics) {
	t.Helper()
	if opts.Registry == nil {
		opts.Registry = simRegistry()
	}
	return NewLoader().Load(writeSpec(t, files), opts)
}

// mustLoad loads a spec that must have no errors.
func mustLoad(t testing.TB, files map[string]string, opts Options) *Spec {
	t.Helper()
	s, diags := loadSpec(t, files, opts)
	if diags.HasErrors() {
		t.Fatalf("Load: unexpected errors:\n%s", renderDiags(diags, ""))
	}
	if s == nil {
		t.Fatal("Load returned a nil Spec without errors")
	}
	return s
}

// mustFail loads a spec that must have errors, checks the nil Spec, and
// returns the diagnostics.
func mustFail(t testing.TB, files map[string]string, opts Options) hcl.Diagnostics {
	t.Helper()
	s, diags := loadSpec(t, files, opts)
	if !diags.HasErrors() {
		t.Fatalf("Load: want errors, got none (diagnostics: %s)", renderDiags(diags, ""))
	}
	if s != nil {
		t.Error("Load returned a Spec along with errors")
	}
	return diags
}

// renderDiag renders one diagnostic as "SEVERITY file:line,col: summary:
// detail", with the file name relative to dir.
func renderDiag(d *hcl.Diagnostic, dir string) string {
	sev := "ERROR"
	if d.Severity == hcl.DiagWarning {
		sev = "WARNING"
	}
	where := "<no range>"
	if d.Subject != nil {
		name := d.Subject.Filename
		if rel, err := filepath.Rel(dir, name); dir != "" && err == nil && !strings.HasPrefix(rel, "..") {
			name = filepath.ToSlash(rel)
		}
		where = fmt.Sprintf("%s:%d,%d", name, d.Subject.Start.Line, d.Subject.Start.Column)
	}
	return fmt.Sprintf("%s %s: %s: %s", sev, where, d.Summary, d.Detail)
}

// renderDiags renders diagnostics one a line, in a stable order: by file,
// position, then text.
func renderDiags(diags hcl.Diagnostics, dir string) string {
	lines := make([]string, len(diags))
	sorted := append(hcl.Diagnostics{}, diags...)
	sort.SliceStable(sorted, func(i, j int) bool { return diagLess(sorted[i], sorted[j]) })
	for i, d := range sorted {
		lines[i] = renderDiag(d, dir)
	}
	return strings.Join(lines, "\n") + "\n"
}

func diagLess(a, b *hcl.Diagnostic) bool {
	if (a.Subject == nil) != (b.Subject == nil) {
		return a.Subject == nil
	}
	if a.Subject != nil && *a.Subject != *b.Subject {
		return rangeLess(*a.Subject, *b.Subject)
	}
	return a.Summary+a.Detail < b.Summary+b.Detail
}

// errorSummaries lists the summaries of the errors, sorted.
func errorSummaries(diags hcl.Diagnostics) []string {
	var out []string
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			out = append(out, d.Summary)
		}
	}
	sort.Strings(out)
	return out
}

// findDiag returns the first diagnostic with the summary, failing the test
// when there is none.
func findDiag(t testing.TB, diags hcl.Diagnostics, summary string) *hcl.Diagnostic {
	t.Helper()
	for _, d := range diags {
		if d.Summary == summary {
			return d
		}
	}
	t.Fatalf("no diagnostic %q in:\n%s", summary, renderDiags(diags, ""))
	return nil
}

// subjectAt checks that d's Subject starts in the file named base at line.
func subjectAt(t testing.TB, d *hcl.Diagnostic, base string, line int) {
	t.Helper()
	if d.Subject == nil {
		t.Errorf("%q has no Subject, want %s:%d", d.Summary, base, line)
		return
	}
	if got := filepath.Base(d.Subject.Filename); got != base || d.Subject.Start.Line != line {
		t.Errorf("%q is at %s:%d, want %s:%d", d.Summary, got, d.Subject.Start.Line, base, line)
	}
}
