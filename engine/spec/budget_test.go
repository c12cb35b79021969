package spec

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// fourMiB is a locals block whose local.big is a 4 MiB string and
// local.many a list of 100,000 strings, built by doubling: within the
// budget, and a quarter of it.
func fourMiB() string {
	var b strings.Builder
	b.WriteString("locals {\n  d0 = \"0123456789abcdef\"\n")
	for i := 1; i <= 18; i++ {
		fmt.Fprintf(&b, "  d%d = \"${local.d%d}${local.d%d}\"\n", i, i-1, i-1)
	}
	b.WriteString("  big  = local.d18\n  many = [for i in range(100) : [for j in range(1000) : \"x\"]]\n")
	return b.String()
}

// Values past the budget are refused where they are produced, with a
// diagnostic at the expression; values within it load.
func TestEvaluationBudget(t *testing.T) {
	for _, tt := range []struct {
		expr string
		want string // "" loads; else the diagnostic's summary and words
	}{
		{`"${local.big}${local.big}${local.big}"`, ""},                                 // 12 MiB
		{`"${local.big}${local.big}${local.big}${local.big}x"`, "Value too large"},     // a template
		{`"%{for i in range(5)}${local.big}%{endfor}"`, "Value too large"},             // a template's for
		{`[for i in range(5) : "${local.big}-"]`, "Value too large"},                   // a for expression
		{`{for i in range(5) : "k${i}" => "${local.big}"}`, "Value too large"},         // shared, still counted
		{`[local.big, local.big, local.big, local.big, local.big]`, "Value too large"}, // a tuple
		{`setproduct(range(1000), range(1000), range(1000))`, "would hold more than 1,000,000 elements"},
		{`setproduct(range(100), range(100))`, ""},
		{`concat(flatten(local.many), flatten(local.many), flatten(local.many), flatten(local.many), flatten(local.many), flatten(local.many), flatten(local.many), flatten(local.many), flatten(local.many), flatten(local.many), ["x"])`, "would hold more than 1,000,000 elements"},
		{`join(local.big, ["a", "b", "c", "d", "e", "f"])`, "would hold more than 16 MiB of text"},
		{`join("", [local.big, local.big, local.big])`, ""},
		{`format("%999999999d", 1)`, "would hold more than 16 MiB of text"},
		{`format("%s%s%s%s%s", local.big, local.big, local.big, local.big, local.big)`, "would hold more than 16 MiB of text"},
		{`formatlist("%s-%s", [local.big, local.big, local.big, local.big, local.big], "x")`, "would hold more than 16 MiB of text"},
		{`indent(100000000, "a\nb\nc")`, "would hold more than 16 MiB of text"},
		{`replace(local.big, "a", local.d6)`, "would hold more than 16 MiB of text"},
		{`split("", local.big)`, "would hold more than 1,000,000 elements"},
		{`regexall("", local.big)`, "would hold more than 1,000,000 elements"},
		{`flatten([local.many, local.many, local.many, local.many, local.many, local.many, local.many, local.many, local.many, local.many, local.many])`, "would hold more than 1,000,000 elements"},
		{`jsondecode("[${replace(local.d17, "0123456789abcdef", "0,0,0,0,0,0,0,0,")}0]")`, "would hold more than 1,000,000 elements"},
		{`jsonencode([local.big, local.big, local.big, local.big])`, "would hold more than 16 MiB of text"},
		{`csvdecode(replace(local.d16, "0123456789abcdef", ",,,,,,,,,,,,,,,,"))`, "would hold more than 1,000,000 elements"},
		{`upper(upper(upper(local.big)))`, ""},
		{`length(local.many)`, ""},
	} {
		t.Run(tt.expr[:min(len(tt.expr), 40)], func(t *testing.T) {
			head := simPreamble + fourMiB()
			line := strings.Count(head, "\n") + 1
			src := head + "  x = " + tt.expr + "\n}\noutput \"x\" {\n  value = local.x != null\n}\n"
			_, diags := loadSpec(t, map[string]string{"main.nova.hcl": src}, Options{})
			got := renderDiags(diags, "")
			switch {
			case tt.want == "" && diags.HasErrors():
				t.Errorf("%s: want no error, got:\n%s", tt.expr, got)
			case tt.want != "" && !strings.Contains(got, tt.want):
				t.Errorf("%s: want %q, got:\n%s", tt.expr, tt.want, got)
			case tt.want != "" && !strings.Contains(got, fmt.Sprintf("main.nova.hcl:%d,", line)):
				t.Errorf("%s: the diagnostic does not point at the expression (line %d):\n%s", tt.expr, line, got)
			}
		})
	}
}

// Thirty-nine locals, each twice the one before, describe 2^40 bytes: they
// crashed validate with "fatal error: out of memory". They stop at the
// first local past 16 MiB, having allocated a few times that.
func TestDoublingLocalsStopEarly(t *testing.T) {
	var b strings.Builder
	b.WriteString("locals {\n  l_0 = \"ab\"\n")
	for i := 1; i < 40; i++ {
		fmt.Fprintf(&b, "  l_%d = \"${local.l_%d}${local.l_%d}\"\n", i, i-1, i-1)
	}
	b.WriteString("}\n")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	diags := mustFail(t, map[string]string{"main.nova.hcl": simPreamble + b.String()}, Options{})
	runtime.ReadMemStats(&after)
	if len(diags) != 1 || diags[0].Summary != "Value too large" || diags[0].Subject.Start.Line != 31 {
		t.Errorf("want one Value too large at l_24 (line 31), got:\n%s", renderDiags(diags, ""))
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 256<<20 {
		t.Errorf("loading allocated %d MiB; want the evaluation to stop near 16 MiB", alloc>>20)
	}
}
