package spec

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// deepExprs build an expression that nests exactly n levels, one per
// shape in which hcl's parser recurses.
var deepExprs = []struct {
	name string
	expr func(n int) string
}{
	{"parentheses", func(n int) string { return rep("(", n) + "1" + rep(")", n) }},
	{"brackets", func(n int) string { return rep("[", n) + rep("]", n) }},
	{"objects", func(n int) string { return rep("{a=", n) + "1" + rep("}", n) }},
	{"function calls", func(n int) string { return rep("abs(", n) + "1" + rep(")", n) }},
	{"unary minus", func(n int) string { return rep("-", n) + "1" }},
	{"not", func(n int) string { return rep("!", n) + "true" }},
	{"a chain of sums", func(n int) string { return "1" + rep("+1", n) }},
	{"a chain of conditionals", func(n int) string { return rep("true ? 1 : ", n) + "1" }},
	{"a chain of indexes", func(n int) string { return "local.z" + rep("[0]", n-1) }},
	{"a chain of splats", func(n int) string { return "local.z" + rep("[*]", n-2) }}, // the * is a link
	{"interpolations", func(n int) string {
		return rep("(", n%2) + rep(`"${`, n/2) + "1" + rep(`}"`, n/2) + rep(")", n%2)
	}},
	{"if directives", func(n int) string { return `"` + rep("%{if true}", n-2) + "x" + rep("%{endif}", n-2) + `"` }},
	{"for directives", func(n int) string { return `"` + rep("%{for x in [1]}", n-3) + "x" + rep("%{endfor}", n-3) + `"` }},
}

func rep(s string, n int) string { return strings.Repeat(s, max(n, 0)) }

func localsWith(expr string) string {
	return simPreamble + "locals {\n  z = [[[1]]]\n  x = " + expr + "\n}\n"
}

// TestNestingLimit: each shape loads at MaxNesting levels (where hcl is
// comfortable) and is refused one level deeper with one diagnostic on the
// line, instead of crashing with a stack overflow further on. The locals
// block is the first level.
func TestNestingLimit(t *testing.T) {
	for _, tt := range deepExprs {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := loadSpec(t, map[string]string{"main.nova.hcl": localsWith(tt.expr(MaxNesting - 1))}, Options{})
			if d := diagNamed(diags, "Nesting too deep"); d != nil {
				t.Fatalf("refused at the limit: %s", renderDiag(d, ""))
			}
			diags = mustFail(t, map[string]string{"main.nova.hcl": localsWith(tt.expr(MaxNesting))}, Options{})
			if diff := errorSummaries(diags); len(diff) != 1 || diff[0] != "Nesting too deep" {
				t.Fatalf("errors %q, want only Nesting too deep", diff)
			}
			subjectAt(t, diags[0], "main.nova.hcl", 8)
		})
	}
}

// TestNestingCountsOnlyWhatHCLParses: brackets in strings, heredocs,
// comments and escapes are text, and links end with their expression.
func TestNestingCountsOnlyWhatHCLParses(t *testing.T) {
	deep := rep("(", 3*MaxNesting)
	for _, src := range []string{
		`"` + deep + `"`,
		`"\"` + deep + `"`,
		`"` + rep(`$${`, 3*MaxNesting) + rep(`%%{`, 3*MaxNesting) + `"`,
		"<<EOF\n" + deep + "\n" + rep("{[", MaxNesting) + "\nEOF\n",
		"<<-EOT\n  " + deep + "\n  EOT\n",
		"1 # " + deep,
		"1 // " + deep,
		"/* " + deep + " */ 1",
		"[" + rep("1 + 1, ", 3*MaxNesting) + "]",
		"{" + rep("a = 1 + 1\n", 3*MaxNesting) + "}",
		"[for x in [1] : x " + rep("+ 1 ", MaxNesting-5) + "]",
	} {
		if at := tooDeep([]byte("x = "+src+"\n"), false, MaxNesting); at >= 0 {
			t.Errorf("refused at byte %d: %.80q", at, src)
		}
	}
	body := rep("a = 1 + 1 + 1\n", 3*MaxNesting)
	if at := tooDeep([]byte(body), false, MaxNesting); at >= 0 {
		t.Errorf("newlines do not end the expressions of a body: refused at byte %d", at)
	}
}

// TestNestingBlocks: nested blocks count too.
func TestNestingBlocks(t *testing.T) {
	src := func(n int) string { return rep("x {\n", n) + rep("}\n", n) }
	if at := tooDeep([]byte(src(MaxNesting)), false, MaxNesting); at >= 0 {
		t.Errorf("refused at the limit, at byte %d", at)
	}
	want := len(rep("x {\n", MaxNesting)) + 2
	if at := tooDeep([]byte(src(MaxNesting+1)), false, MaxNesting); at != want {
		t.Errorf("refused at byte %d, want %d (the brace one level too deep)", at, want)
	}
}

// TestNestingEverywhereHCLParses: -var values, variable files, NOVA_VAR_
// values and fmt are parsed by hcl too, and refused the same way.
func TestNestingEverywhereHCLParses(t *testing.T) {
	deep := rep("[", 100000) + rep("]", 100000)
	decl := simPreamble + "variable \"v\" {\n  type = any\n  default = 1\n}\n"
	dir := t.TempDir()
	varFile := filepath.Join(dir, "deep.nova.tfvars")
	if err := os.WriteFile(varFile, []byte("v = "+deep+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		opts   Options
		column int
	}{
		{"-var", Options{Vars: []VarArg{{Name: "v", Value: deep}}}, MaxNesting + 1},
		{"-var-file", Options{Vars: []VarArg{{File: varFile}}}, len("v = ") + MaxNesting + 1},
		{"NOVA_VAR_", Options{Env: []string{"NOVA_VAR_v=" + deep}}, MaxNesting + 1},
	} {
		diags := mustFail(t, map[string]string{"main.nova.hcl": decl}, tt.opts)
		d := findDiag(t, diags, "Nesting too deep")
		if d.Subject == nil || d.Subject.Start.Column != tt.column {
			t.Errorf("%s: the diagnostic is not at column %d: %s", tt.name, tt.column, renderDiag(d, ""))
		}
	}
	if _, diags := Format([]byte("x = "+deep+"\n"), "deep.nova.hcl"); diagNamed(diags, "Nesting too deep") == nil {
		t.Errorf("fmt: no Nesting too deep in %s", renderDiags(diags, ""))
	}
}

// TestNestingJSONDecode: jsondecode cannot build what the source may not.
func TestNestingJSONDecode(t *testing.T) {
	js := func(n int) string { return `jsondecode("` + rep("[", n) + rep("]", n) + `")` }
	mustLoad(t, map[string]string{"main.nova.hcl": localsWith(js(MaxNesting))}, Options{})
	diags := mustFail(t, map[string]string{"main.nova.hcl": localsWith(js(MaxNesting + 1))}, Options{})
	if d := findDiag(t, diags, "Invalid function argument"); !strings.Contains(d.Detail, "nests more than") {
		t.Errorf("detail %q does not say the JSON nests too deep", d.Detail)
	}
}

// TestNestingBoundsTheSyntaxTree checks the scan against what hcl builds:
// for every file of the corpus, the syntax tree is no deeper than a small
// multiple of the nesting the scan counts. An undercount (a string, a
// heredoc or a comment misread) would let a deep tree through.
func TestNestingBoundsTheSyntaxTree(t *testing.T) {
	for _, src := range nestingCorpus(t) {
		checkTreeDepth(t, src)
	}
}

func FuzzNesting(f *testing.F) {
	for _, src := range nestingCorpus(f) {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) { checkTreeDepth(t, src) })
}

func checkTreeDepth(t *testing.T, src []byte) {
	t.Helper()
	_, counted := scanNesting(src, false, 1<<30)
	if counted > 2*MaxNesting {
		return // refused; hcl never sees it
	}
	file, _ := hclsyntax.ParseConfig(src, "f.nova.hcl", hcl.InitialPos)
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		return
	}
	w := &depthWalker{}
	_ = hclsyntax.Walk(body, w)
	if limit := 5*counted + 8; w.deepest > limit {
		t.Errorf("the syntax tree is %d deep, the scan counted %d levels:\n%.300q", w.deepest, counted, src)
	}
}

type depthWalker struct{ depth, deepest int }

func (w *depthWalker) Enter(hclsyntax.Node) hcl.Diagnostics {
	w.depth++
	w.deepest = max(w.deepest, w.depth)
	return nil
}

func (w *depthWalker) Exit(hclsyntax.Node) hcl.Diagnostics { w.depth--; return nil }

// nestingCorpus is every spec in the tree's testdata and examples, and a
// few of each deep shape.
func nestingCorpus(t testing.TB) [][]byte {
	var out [][]byte
	for _, pattern := range []string{"testdata/*/*" + FileSuffix, "testdata/*/*/*" + FileSuffix, "../../examples/*/*" + FileSuffix} {
		paths, _ := filepath.Glob(pattern)
		for _, p := range paths {
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, src)
		}
	}
	if len(out) < 20 {
		t.Fatalf("the corpus has only %d files: run from engine/spec", len(out))
	}
	for _, e := range deepExprs {
		for _, n := range []int{3, 40} {
			out = append(out, []byte(localsWith(e.expr(n))))
		}
	}
	out = append(out, []byte("x = <<EOF\n${<<EOT\n${[[1]]}\nEOT\n}\nEOF\n"), []byte(fmt.Sprintf("x = \"%%{if a}${(1)}%%{else}%%{endif}\"\n")))
	return out
}

func diagNamed(diags hcl.Diagnostics, summary string) *hcl.Diagnostic {
	for _, d := range diags {
		if d.Summary == summary {
			return d
		}
	}
	return nil
}
