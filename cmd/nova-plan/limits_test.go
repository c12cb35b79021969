package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"
)

const simHead = `provider "sim" "lab" {}
template "u" {
  sim { image = "u" }
}
`

// TestDeepNestingIsRefused: 100,000 nested parentheses (200 KB) crashed
// validate with a Go stack overflow and a goroutine dump (exit 2). It is
// one diagnostic at the place the limit is crossed, from every command
// that parses HCL.
func TestDeepNestingIsRefused(t *testing.T) {
	deep := strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000)
	dir := newDir(t, simHead+"locals {\n  x = "+deep+"\n}\n")
	for _, args := range [][]string{{"validate"}, {"plan"}, {"fmt", "-check"}} {
		r := nova(t, dir, args...).Must(t, 1, strings.Join(args, " "))
		mustSay(t, r.Stderr, "Error: Nesting too deep", "main.nova.hcl line 6", "256 levels")
		if strings.Count(r.Stderr, "Error:") != 1 || len(r.Stderr) > 2000 {
			t.Errorf("%s: want one short diagnostic, got %d bytes:\n%.2000s", args[0], len(r.Stderr), r.Stderr)
		}
	}
	vars := simHead + "variable \"v\" {\n  type = any\n}\n"
	dir = newDir(t, vars)
	nested := strings.Repeat("[", 10000) + strings.Repeat("]", 10000) // an argument is at most 128 KiB
	r := nova(t, dir, "validate", "-var", "v="+nested).Must(t, 1, "validate -var")
	mustSay(t, r.Stderr, "Error: Nesting too deep", "<value for var.v> line 1")
}

// TestBinarySpecFile: a 200 KB binary file named *.nova.hcl printed 9,268
// diagnostics (4.8 MB, raw control bytes and all). It is one diagnostic
// that says what the file is.
func TestBinarySpecFile(t *testing.T) {
	dir := t.TempDir()
	junk := make([]byte, 200_000)
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range junk {
		junk[i] = byte(rng.UintN(256))
	}
	if err := os.WriteFile(filepath.Join(dir, "junk.nova.hcl"), junk, 0o644); err != nil {
		t.Fatal(err)
	}
	r := nova(t, dir, "validate").Must(t, 1, "validate of a binary file")
	mustSay(t, r.Stderr, "Error: Not a text file", "junk.nova.hcl line 1", "must be UTF-8 text")
	if strings.Count(r.Stderr, "Error:") != 1 || len(r.Stderr) > 1000 {
		t.Errorf("want one short diagnostic, got %d bytes:\n%.1000s", len(r.Stderr), r.Stderr)
	}
	mustBePrintable(t, r.Stderr)
}

// TestDiagnosticsAreCapped: past 20 diagnostics the CLI counts the rest.
func TestDiagnosticsAreCapped(t *testing.T) {
	var spec strings.Builder
	spec.WriteString(simHead)
	for i := range 45 {
		spec.WriteString("vm \"v" + string(rune('a'+i%26)) + strings.Repeat("x", i/26) + "\" {\n  template = template.u\n  cpu = 0\n  memory_gb = 1\n}\n")
	}
	r := nova(t, newDir(t, spec.String()), "validate").Must(t, 1, "validate with 45 errors")
	if n := strings.Count(r.Stderr, "Error: Value out of range"); n != 20 {
		t.Errorf("%d diagnostics printed, want 20", n)
	}
	mustSay(t, r.Stderr, "… and 25 more errors, not shown.")
}

// TestDiagnosticsEscapeControlCharacters: text from the spec reaches the
// terminal only with its control characters escaped.
func TestDiagnosticsEscapeControlCharacters(t *testing.T) {
	spec := simHead + `
variable "v" {
  type    = string
  default = "x"
  validation {
    condition     = var.v == "y"
    error_message = "Bad \u001b]0;owned\u0007 \u001b[2J \u009b31m \u202e value."
  }
}
`
	r := nova(t, newDir(t, spec), "validate").Must(t, 1, "validate")
	mustSay(t, r.Stderr, `Bad \x1b]0;owned\x07 \x1b[2J \u009b31m \u202e value.`)
	mustBePrintable(t, r.Stderr)
}

// TestControlCharactersInTags: libvirt metadata turned them into U+FFFD,
// so the VM drifted on every plan; the spec refuses them.
func TestControlCharactersInTags(t *testing.T) {
	for _, tt := range []struct{ tags, want string }{
		{`{ "k\u0007" = "v" }`, `Tag key "k\a" has the control character U+0007`},
		{`{ k = "v\u001b[31m" }`, `The value of tag "k" has the control character U+001B`},
		{`{ k = "two\nlines" }`, `The value of tag "k" has the control character U+000A`},
		{`{ k = "\u0085" }`, `has the control character U+0085`},
	} {
		spec := simHead + "vm \"a\" {\n  template  = template.u\n  cpu       = 1\n  memory_gb = 1\n  tags      = " + tt.tags + "\n}\n"
		r := nova(t, newDir(t, spec), "plan").Must(t, 1, "plan with tags "+tt.tags)
		mustSay(t, r.Stderr, "Invalid tag", tt.want, "main.nova.hcl line 9")
		mustBePrintable(t, r.Stderr)
	}
}

func mustSay(t *testing.T, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%.3000s", w, out)
		}
	}
}

// mustBePrintable fails on any byte a terminal would act on.
func mustBePrintable(t *testing.T, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("output is not UTF-8:\n%q", out)
	}
	for _, r := range out {
		if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f) || r == 0x202e {
			t.Errorf("output holds the raw character U+%04X:\n%q", r, bytes.TrimSpace([]byte(out)))
			return
		}
	}
}

// TestFilesMustBeRegular: `show /dev/zero` read without end. Every file
// the CLI reads (saved plans, variable files, spec files, the state) must
// be a regular file of a bounded size; anything else is refused at once,
// saying what it is.
func TestFilesMustBeRegular(t *testing.T) {
	fifoDir := t.TempDir()
	fifo := filepath.Join(fifoDir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	dir := newDir(t, simHead)
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"show", "/dev/zero"}, []string{"Cannot read the saved plan: /dev/zero is a character device, not a regular file"}},
		{[]string{"show", fifo}, []string{"is a named pipe (FIFO), not a regular file"}},
		{[]string{"apply", "/dev/zero"}, []string{"Cannot read the saved plan: /dev/zero is a character device"}},
		{[]string{"graph", fifoDir}, []string{"is a folder, not a regular file"}},
		{[]string{"validate", "-var-file=/dev/zero"}, []string{"Cannot read a file", "/dev/zero is a character device, not a regular file."}},
		{[]string{"plan", "-var-file=" + fifo}, []string{"is a named pipe (FIFO), not a regular file."}},
		{[]string{"fmt", "/dev/zero"}, []string{"Cannot read /dev/zero: is a character device, not a regular file"}},
	} {
		r := nova(t, dir, tc.args...).Must(t, 1, strings.Join(tc.args, " "))
		mustSay(t, r.Stderr, tc.want...)
	}

	specLink := newDir(t, simHead)
	if err := os.Symlink("/dev/zero", filepath.Join(specLink, "zero.nova.hcl")); err != nil {
		t.Fatal(err)
	}
	r := nova(t, specLink, "validate").Must(t, 1, "validate with a spec file linked to /dev/zero")
	mustSay(t, r.Stderr, "Cannot read a file", "zero.nova.hcl is a character device, not a regular file.")

	stateLink := newDir(t, simHead)
	if err := os.Mkdir(filepath.Join(stateLink, ".nova"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(stateLink, ".nova", "state.json")); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"plan"}, {"show"}, {"state", "list"}} {
		r := nova(t, stateLink, args...).Must(t, 1, strings.Join(args, " ")+" with the state linked to /dev/zero")
		mustSay(t, r.Stderr, "Cannot read the state", "is a character device, not a regular file")
	}
}

// TestEvaluationBudgetThroughTheCLI: 39 locals each doubling the one
// before (a 1.6 KB spec) ended in "fatal error: out of memory" and a
// goroutine dump; setproduct of three ranges of 1,000 likewise. Each is
// one diagnostic at the expression, exit 1.
func TestEvaluationBudgetThroughTheCLI(t *testing.T) {
	var doubling strings.Builder
	doubling.WriteString(simHead + "locals {\n  l_0 = \"ab\"\n")
	for i := 1; i < 40; i++ {
		fmt.Fprintf(&doubling, "  l_%d = \"${local.l_%d}${local.l_%d}\"\n", i, i-1, i-1)
	}
	doubling.WriteString("}\n")
	r := nova(t, newDir(t, doubling.String()), "validate").Must(t, 1, "validate of doubling locals")
	mustSay(t, r.Stderr, "Error: Value too large", "main.nova.hcl line 30", "l_24 = ", "at most 16 MiB of text")
	product := simHead + "locals {\n  p = setproduct(range(1000), range(1000), range(1000))\n}\n"
	r = nova(t, newDir(t, product), "validate").Must(t, 1, "validate of a billion-element setproduct")
	mustSay(t, r.Stderr, `Call to function "setproduct" failed: the result would hold more than 1,000,000 elements`, "main.nova.hcl line 6")
}
