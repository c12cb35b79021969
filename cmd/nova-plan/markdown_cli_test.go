package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMarkdownThroughCLI: plan -markdown (alone and with -out) and
// show -markdown PLANFILE print the same summary of a real plan; a plan
// that replaces VMs calls them out, in rollout batches; a plan with no
// changes says so; -detailed-exitcode still tells changes apart.
func TestMarkdownThroughCLI(t *testing.T) {
	dir := newDir(t, defaultSpec().String())
	planned := nova(t, dir, "plan", "-markdown", "-out=p.plan").Must(t, 0, "plan -markdown -out").Stdout
	golden(t, "markdown-cli-create.md", planned)
	if shown := nova(t, dir, "show", "-markdown", "p.plan").Must(t, 0, "show -markdown").Stdout; shown != planned {
		t.Errorf("show -markdown p.plan differs from plan -markdown:\n%s\n---\n%s", shown, planned)
	}
	nova(t, dir, "apply", "-auto-approve", "-parallelism=1", "p.plan").Must(t, 0, "apply")

	s := defaultSpec()
	s.image = "ubuntu-24.04"
	writeSpec(t, dir, s.String())
	replace := nova(t, dir, "plan", "-markdown", "-detailed-exitcode").Must(t, 2, "plan -markdown -detailed-exitcode")
	golden(t, "markdown-cli-replace.md", replace.Stdout)
	mustBeInertMarkdown(t, replace.Stdout)

	writeSpec(t, dir, defaultSpec().String())
	same := nova(t, dir, "plan", "-markdown", "-detailed-exitcode").Must(t, 0, "plan -markdown with no changes")
	if want := "### NovaCron plan\n\n**No changes.** The VMs match the spec.\n"; same.Stdout != want {
		t.Errorf("plan -markdown with no changes prints:\n%s\nwant:\n%s", same.Stdout, want)
	}
}

// TestMarkdownFlagsRefused: -markdown with -json, and show -markdown
// without a plan file, are refused with a message, exit 1, nothing on
// stdout.
func TestMarkdownFlagsRefused(t *testing.T) {
	dir := newDir(t, defaultSpec().String())
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"plan", "-markdown", "-json"}, "-json and -markdown are two formats; give one"},
		{[]string{"show", "-markdown", "-json", "p.plan"}, "-json and -markdown are two formats; give one"},
		{[]string{"show", "-markdown"}, "nova-plan show -markdown PLANFILE"},
	} {
		r := nova(t, dir, tc.args...).Must(t, 1, tc.args[0])
		mustSay(t, r.Stderr, tc.says)
		if r.Stdout != "" {
			t.Errorf("%v prints on stdout:\n%s", tc.args, r.Stdout)
		}
	}
}

// TestMarkdownDocExample: the example in docs/cli.md is the summary the
// program prints (markdown-cli-replace.md).
func TestMarkdownDocExample(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "cli.md"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("testdata", "golden", "markdown-cli-replace.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "````markdown\n"+string(want)+"````\n") {
		t.Errorf("docs/cli.md does not show the summary nova-plan prints; paste testdata/golden/markdown-cli-replace.md into its Markdown summaries example")
	}
}

// TestMarkdownHostileTagsThroughCLI: tags from a spec that hold a '|',
// HTML, backticks and an HTML comment show whole in one code element of the
// rendered summary.
func TestMarkdownHostileTagsThroughCLI(t *testing.T) {
	dir := newDir(t, simHead+"vm \"w\" {\n  template  = template.u\n  cpu       = 1\n  memory_gb = 1\n"+
		"  tags      = { \"a|b\" = \"<script>x</script>\", \"`c`\" = \"</details><!--\" }\n}\n")
	r := nova(t, dir, "plan", "-markdown").Must(t, 0, "plan -markdown")
	mustBePrintable(t, r.Stdout)
	mustBeInertMarkdown(t, r.Stdout)
	want := "<code>" + htmlText.Replace(`{"`+"`c`"+`" = "</details><!--", "a|b" = "<script>x</script>"}`) + "</code>"
	if h := gfmHTML(t, r.Stdout); !strings.Contains(h, want) {
		t.Errorf("the tags are not shown whole as %s:\n%s", want, h)
	}
}
