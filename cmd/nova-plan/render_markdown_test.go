package main

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	goldhtml "github.com/yuin/goldmark/renderer/html"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
)

func mdVM(name, host string, cpu int) *plan.Attrs {
	return &plan.Attrs{
		Name: name, Provider: "sim.lab", Host: host, CPU: cpu, MemoryMiB: 2048, DiskGB: 20,
		Power: driver.PowerRunning, Template: `image="ubuntu-22.04"`, TemplateName: "ubuntu",
		Tags: map[string]string{"env": "prod"},
	}
}

func mdCreate(fleet, addr, name string) *plan.Change {
	return &plan.Change{Address: addr, Fleet: fleet, Action: plan.Create, After: mdVM(name, "", 2), Reasons: []string{"new VM"}}
}

// smallPlan: two creates and an update with a restart.
func smallPlan() *plan.Plan {
	before := mdVM("db-01", "hv-01", 2)
	after := before.Clone()
	after.CPU, after.MemoryMiB = 4, 4096
	return &plan.Plan{Changes: []*plan.Change{
		mdCreate("fleet.web", "fleet.web[0]", "web-0"),
		mdCreate("fleet.web", "fleet.web[1]", "web-1"),
		{Address: "vm.db-01", Fleet: "vm.db-01", Action: plan.Update, ID: "vm-000001", Before: before, After: after, Restart: true, Reasons: []string{"cpu", "memory"}},
	}}
}

// destructivePlan: replaces (one creating first) in rollout batches, a
// fleet moved to another provider, deletes, migrations live and offline,
// an import, plan warnings and policy findings.
func destructivePlan() (*plan.Plan, []PolicyResult) {
	p := &plan.Plan{Warnings: []string{"The plan targets fleet.web only (-target)."}}
	for i := range 3 {
		old := mdVM(fmt.Sprintf("web-%d", i), "hv-01", 2)
		next := old.Clone()
		next.Template = `image="ubuntu-24.04"`
		p.Changes = append(p.Changes, &plan.Change{
			Address: fmt.Sprintf("fleet.web[%d]", i), Fleet: "fleet.web", Action: plan.Replace, ID: fmt.Sprintf("vm-00000%d", i+2),
			Before: old, After: next, Batch: i/2 + 1, CreateBeforeDestroy: i == 2,
			Reasons: []string{`template ubuntu changes from image="ubuntu-22.04" to image="ubuntu-24.04"`},
		})
	}
	moved := mdVM("cache-0", "", 2)
	moved.Provider = "sim.cloud"
	p.Changes = append(p.Changes,
		&plan.Change{Address: "fleet.cache[0]", Fleet: "fleet.cache", Action: plan.Replace, ID: "vm-000010",
			Before: mdVM("cache-0", "hv-02", 2), After: moved, Reasons: []string{"the fleet moves from sim.lab to sim.cloud"}},
		&plan.Change{Address: "vm.old", Fleet: "vm.old", Action: plan.Delete, ID: "vm-000009", Before: mdVM("old", "hv-02", 1),
			Reasons: []string{"vm.old is no longer in the spec"}},
		&plan.Change{Address: "fleet.batch[5]", Fleet: "fleet.batch", Action: plan.Delete, ID: "vm-000011", Before: mdVM("batch-5", "hv-01", 1),
			Reasons: []string{"count is now 5"}},
	)
	for i, live := range []bool{true, false} {
		before := mdVM(fmt.Sprintf("db-%d", i), "hv-01", 4)
		after := before.Clone()
		after.Host = "hv-02"
		p.Changes = append(p.Changes, &plan.Change{Address: fmt.Sprintf("fleet.db[%d]", i), Fleet: "fleet.db", Action: plan.Migrate,
			ID: fmt.Sprintf("vm-00002%d", i), Before: before, After: after, Live: live, Reasons: []string{"host hv-01 → hv-02"}})
	}
	p.Changes = append(p.Changes, &plan.Change{Address: "vm.legacy", Fleet: "vm.legacy", Action: plan.Adopt, ID: "vm-000030",
		After: mdVM("legacy", "hv-01", 1), Imported: true, Reasons: []string{"import block"}})
	return p, []PolicyResult{
		{Level: "warn", Address: "fleet.db", Message: "fleet.db has no cost-center tag"},
		{Level: "deny", Address: "fleet.web", Message: "more than 10 % of fleet.web is replaced at once (3 of 3)"},
		{Level: "warn", Message: "a finding that names no address"},
	}
}

// largePlan: 30 creates and 25 deletes, past the open rows.
func largePlan() *plan.Plan {
	p := &plan.Plan{}
	for i := range 30 {
		p.Changes = append(p.Changes, mdCreate("fleet.web", fmt.Sprintf("fleet.web[%d]", i), fmt.Sprintf("web-%d", i)))
	}
	for i := range 25 {
		p.Changes = append(p.Changes, &plan.Change{Address: fmt.Sprintf("fleet.old[%d]", i), Fleet: "fleet.old", Action: plan.Delete,
			ID: fmt.Sprintf("vm-%06d", 100+i), Before: mdVM(fmt.Sprintf("old-%d", i), "hv-01", 1), Reasons: []string{"fleet.old is no longer in the spec"}})
	}
	return p
}

// Values that would break a table, start HTML, hide the rest of the
// comment, end a collapsed section early, or reach a terminal raw.
var mdHostile = []string{
	"a|b", "back`tick``s", "<script>alert(1)</script>", "two\nlines\r\n| x | y |", "</details><!--", "`", " padded ",
	"[click](javascript:alert(1))", "![x](https://evil.example/t.png)", `a\|b`, "**bold** _em_ ~~del~~ $x$", "@everyone #1",
	"web" + esc, "hv" + csi + rlo,
}

func hostileMarkdownPlan() (*plan.Plan, []PolicyResult) {
	p := &plan.Plan{Warnings: []string{"warning <img src=x onerror=alert(1)> | " + mdHostile[3]}}
	var policy []PolicyResult
	for i, s := range mdHostile {
		vm := mdVM(s, s, 1)
		vm.Tags = map[string]string{s: s}
		vm.TemplateName = s
		addr := fmt.Sprintf("fleet.h[%q]", s)
		p.Changes = append(p.Changes, &plan.Change{Address: addr, Fleet: "fleet." + s, Action: plan.Replace, ID: s,
			Before: mdVM("x", "hv-01", 1), After: vm, Batch: 1, Reasons: []string{"reason " + s}})
		if i%2 == 0 {
			p.Changes = append(p.Changes, &plan.Change{Address: "vm." + s, Fleet: "vm." + s, Action: plan.Delete, ID: s, Before: vm})
		}
		policy = append(policy, PolicyResult{Level: "deny", Address: s, Message: "message " + s})
	}
	return p, policy
}

func markdownOf(t *testing.T, in markdownInput) string {
	t.Helper()
	var b bytes.Buffer
	if err := writePlanMarkdown(&b, in); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestMarkdownGolden holds the Markdown summaries of small, destructive,
// large, hostile and empty plans; each is also read by a GFM parser
// (goldmark, as GitHub and GitLab read comments) to check what it shows.
func TestMarkdownGolden(t *testing.T) {
	destructive, findings := destructivePlan()
	hostile, hostileFindings := hostileMarkdownPlan()
	for _, tc := range []struct {
		name string
		in   markdownInput
	}{
		{"small", markdownInput{Plan: smallPlan()}},
		{"destructive", markdownInput{Plan: destructive, Policy: findings}},
		{"large", markdownInput{Plan: largePlan()}},
		{"hostile", markdownInput{Plan: hostile, Policy: hostileFindings}},
		{"no-changes", markdownInput{Plan: &plan.Plan{}}},
		{"no-changes-destroy", markdownInput{Plan: &plan.Plan{Destroy: true}, Policy: []PolicyResult{{Level: "warn", Message: "no VMs left"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			md := markdownOf(t, tc.in)
			golden(t, "markdown-"+tc.name+".md", md)
			mustBePrintable(t, md)
			mustBeInertMarkdown(t, md)
		})
	}
}

// allowedTags are the HTML elements a summary may render to: the
// renderer's own, never one from a value.
var allowedTags = []string{"h3", "h4", "p", "strong", "table", "thead", "tbody", "tr", "th", "td", "code", "ul", "li", "details", "summary", "br"}

var (
	tagRE = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9]*)`)
	// anchorRE is a GFM autolink: its text is its target.
	anchorRE = regexp.MustCompile(`<a href="([^"]*)">([^<]*)</a>`)
)

// gfmHTML renders md as GitHub does, raw HTML passed through, so any
// HTML in a value would show.
func gfmHTML(t *testing.T, md string) string {
	t.Helper()
	var out bytes.Buffer
	gm := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(goldhtml.WithUnsafe()))
	if err := gm.Convert([]byte(md), &out); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// mustBeInertMarkdown: the summary renders only the renderer's own HTML
// elements (and the links GFM makes of a URL in free text, which show
// their target as their text), and its <details> open and close in
// pairs. (A broken table does not show in cell counts, since GFM drops a
// row's extra cells: TestMarkdownHostileValuesShownWhole catches it.)
func mustBeInertMarkdown(t *testing.T, md string) {
	t.Helper()
	h := gfmHTML(t, md)
	for _, m := range anchorRE.FindAllStringSubmatch(h, -1) {
		if m[1] != m[2] {
			t.Errorf("the summary renders a link whose text is not its target: %s", m[0])
		}
	}
	for _, m := range tagRE.FindAllStringSubmatch(anchorRE.ReplaceAllString(h, ""), -1) {
		if !slices.Contains(allowedTags, strings.ToLower(m[2])) {
			t.Errorf("the summary renders a <%s> element:\n%s", m[2], h)
			return
		}
	}
	if o, c := strings.Count(h, "<details>"), strings.Count(h, "</details>"); o != c || o != strings.Count(md, "<details>") {
		t.Errorf("%d <details> and %d </details> rendered from %d written", o, c, strings.Count(md, "<details>"))
	}
}

// TestMarkdownHostileValuesShownWhole: each hostile value shows whole,
// escaped as the text plan escapes it, in one code element of the
// rendered comment: not cut by a '|', not read as HTML or Markdown.
func TestMarkdownHostileValuesShownWhole(t *testing.T) {
	p, findings := hostileMarkdownPlan()
	h := gfmHTML(t, markdownOf(t, markdownInput{Plan: p, Policy: findings}))
	for _, s := range mdHostile {
		for what, shown := range map[string]string{
			"name":    quoted(s),
			"address": strings.ReplaceAll(printable(fmt.Sprintf("fleet.h[%q]", s), false), `\`, `\\`),
			"tags":    formatTags(map[string]string{s: s}),
		} {
			if want := "<code>" + htmlText.Replace(shown) + "</code>"; !strings.Contains(h, want) {
				t.Errorf("the %s %q is not shown whole as %s", what, s, want)
			}
		}
	}
	if strings.Contains(h, "<script") || strings.Contains(h, "<img") || strings.Contains(h, `href="javascript`) {
		t.Errorf("the rendered summary holds HTML from a value:\n%s", h)
	}
}

// htmlText escapes text as goldmark writes it.
var htmlText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// TestMarkdownCollapsedListIsCapped: a plan of 1,900 changes gives a
// summary under the size GitHub accepts for a comment; each collapsed
// list says how many changes it leaves out, and lists and notes add up.
func TestMarkdownCollapsedListIsCapped(t *testing.T) {
	p := &plan.Plan{}
	for i := range 1500 {
		p.Changes = append(p.Changes, mdCreate("fleet.web", fmt.Sprintf("fleet.web[%d]", i), fmt.Sprintf("web-%d", i)))
	}
	for i := range 400 {
		p.Changes = append(p.Changes, &plan.Change{Address: fmt.Sprintf("fleet.old[%d]", i), Fleet: "fleet.old", Action: plan.Delete,
			ID: fmt.Sprintf("vm-%06d", i), Before: mdVM(fmt.Sprintf("old-%d", i), "hv-01", 1), Reasons: []string{"fleet.old is no longer in the spec"}})
	}
	md := markdownOf(t, markdownInput{Plan: p})
	if len(md) > markdownMaxBytes {
		t.Errorf("the summary is %d bytes, over %d", len(md), markdownMaxBytes)
	}
	mustSay(t, md, "<details><summary>380 more replaced or destroyed</summary>", "<details><summary>All 1900 changes</summary>")
	callout, full, _ := strings.Cut(md, "<details><summary>All 1900 changes</summary>")
	if listed := strings.Count(callout, "- ⚠ **destroy**"); listed+leftOut(t, callout) != 400 {
		t.Errorf("the callout lists %d deletes and leaves out %d, of 400", listed, leftOut(t, callout))
	}
	rows := strings.Count(full, "| create |") + strings.Count(full, "| delete |")
	if more := leftOut(t, full); rows+more != 1900 || more == 0 {
		t.Errorf("the full list has %d rows and leaves out %d, of 1900", rows, more)
	}
	mustBeInertMarkdown(t, md)
}

// leftOut is the count of the note "… and N more, not shown here" in
// md, or 0 without one.
func leftOut(t *testing.T, md string) int {
	t.Helper()
	notes := regexp.MustCompile(`(?m)^… and (\d+) more, not shown here`).FindAllStringSubmatch(md, -1)
	if len(notes) > 1 {
		t.Fatalf("%d notes of changes left out in one list", len(notes))
	}
	n := 0
	if len(notes) == 1 {
		fmt.Sscan(notes[0][1], &n)
	}
	return n
}

func TestCodeSpan(t *testing.T) {
	for _, tc := range [][2]string{
		{"plain", "`plain`"}, {"a`b", "``a`b``"}, {"``x", "``` ``x ```"}, {" x", "`  x `"}, {"", "` `"}, {"a|b", "`a|b`"},
	} {
		if got := codeSpan(tc[0]); got != tc[1] {
			t.Errorf("codeSpan(%q) = %s, want %s", tc[0], got, tc[1])
		}
	}
	if got := mdCell("a|b"); got != "`a\\|b`" {
		t.Errorf("mdCell(a|b) = %s", got)
	}
}

// BenchmarkMarkdown10k renders the summary of a 10,000-VM plan.
func BenchmarkMarkdown10k(b *testing.B) {
	p := &plan.Plan{}
	for i := range 10000 {
		p.Changes = append(p.Changes, mdCreate("fleet.web", fmt.Sprintf("fleet.web[%d]", i), fmt.Sprintf("web-%d", i)))
	}
	for b.Loop() {
		if err := writePlanMarkdown(io.Discard, markdownInput{Plan: p}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestMarkdownPolicyListIsCapped: a policy that denies every one of 100,000
// VMs leaves a summary a forge still accepts, counting what it leaves out.
func TestMarkdownPolicyListIsCapped(t *testing.T) {
	p := &plan.Plan{}
	for i := range 50 {
		p.Changes = append(p.Changes, mdCreate("fleet.web", fmt.Sprintf("fleet.web[%d]", i), fmt.Sprintf("web-%d", i)))
	}
	var results []PolicyResult
	for i := range 100000 {
		results = append(results, PolicyResult{Level: "deny", Address: fmt.Sprintf("fleet.web[%d]", i), Message: "too big"})
	}
	md := markdownOf(t, markdownInput{Plan: p, Policy: results})
	if len(md) > markdownMaxBytes {
		t.Errorf("the summary is %d bytes, over %d", len(md), markdownMaxBytes)
	}
	listed := strings.Count(md, "⛔")
	_, after, ok := strings.Cut(md, "- … and ")
	var more int
	if ok {
		fmt.Sscanf(after, "%d", &more)
	}
	if listed+more != len(results) || more == 0 {
		t.Errorf("the policy list shows %d denials and leaves out %d, of %d", listed, more, len(results))
	}
	mustSay(t, md, "#### Policy: 100000 denials, 0 warnings")
}
