package spec

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

// errorMarker ends every line of a testdata/diagnostics case where an error
// is expected to start. The marker is checked independently of the golden
// expected.txt, so a wrong line cannot be blessed by -update.
const errorMarker = "# ERROR"

// TestDiagnosticsGolden loads each testdata/diagnostics/<case>/ folder and
// compares the rendered diagnostics with <case>/expected.txt. Run with
// -update to rewrite the expected files.
func TestDiagnosticsGolden(t *testing.T) {
	cases, err := filepath.Glob(filepath.Join("testdata", "diagnostics", "*"))
	if err != nil || len(cases) == 0 {
		t.Fatalf("no cases under testdata/diagnostics: %v", err)
	}
	for _, dir := range cases {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			s, diags := NewLoader().Load(dir, Options{Registry: simRegistry()})
			if !diags.HasErrors() {
				t.Fatalf("want errors, got none (%s)", renderDiags(diags, dir))
			}
			if s != nil {
				t.Error("Load returned a Spec along with errors")
			}
			checkMarkers(t, dir, diags)
			got := renderDiags(diags, dir)
			golden := filepath.Join(dir, "expected.txt")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

// checkMarkers checks that every error starts on a marked line of a file of
// the case, and that every marked line has an error. A case without spec
// files expects one error with no range.
func checkMarkers(t *testing.T, dir string, diags hcl.Diagnostics) {
	t.Helper()
	marked := markedLines(t, dir)
	hit := map[string]bool{}
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		if d.Subject == nil {
			if len(marked) > 0 {
				t.Errorf("error without a range: %s", renderDiag(d, dir))
			}
			continue
		}
		key := fmt.Sprintf("%s:%d", filepath.Base(d.Subject.Filename), d.Subject.Start.Line)
		if filepath.Dir(d.Subject.Filename) != dir || !marked[key] {
			t.Errorf("error at %s, which is not a line marked %q: %s", d.Subject.Filename+key[strings.LastIndex(key, ":"):], errorMarker, renderDiag(d, dir))
		}
		hit[key] = true
	}
	for key := range marked {
		if !hit[key] {
			t.Errorf("%s is marked %q, but no error starts there", key, errorMarker)
		}
	}
}

// markedLines returns "file:line" for every marked line of the case.
func markedLines(t *testing.T, dir string) map[string]bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*"+FileSuffix))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(src))
		for line := 1; sc.Scan(); line++ {
			if strings.HasSuffix(sc.Text(), errorMarker) {
				out[fmt.Sprintf("%s:%d", filepath.Base(f), line)] = true
			}
		}
	}
	return out
}

// TestDiagnosticsSubjectsInSource: every error in every case has a Subject
// whose byte offsets are inside its file and agree with its line numbers,
// so a renderer can print the offending source.
func TestDiagnosticsSubjectsInSource(t *testing.T) {
	cases, _ := filepath.Glob(filepath.Join("testdata", "diagnostics", "*"))
	for _, dir := range cases {
		l := NewLoader()
		_, diags := l.Load(dir, Options{Registry: simRegistry()})
		for _, d := range diags {
			if d.Subject == nil {
				continue
			}
			f := l.Files()[d.Subject.Filename]
			if f == nil {
				t.Errorf("%s: %s: the loader does not hold the file", dir, renderDiag(d, dir))
				continue
			}
			r := d.Subject
			if r.End.Byte > len(f.Bytes) || r.Start.Byte > r.End.Byte {
				t.Errorf("%s: %s: range %v is outside the file", dir, renderDiag(d, dir), r)
				continue
			}
			if line := 1 + bytes.Count(f.Bytes[:r.Start.Byte], []byte("\n")); line != r.Start.Line {
				t.Errorf("%s: %s: byte %d is on line %d, not %d", dir, renderDiag(d, dir), r.Start.Byte, line, r.Start.Line)
			}
		}
	}
}
