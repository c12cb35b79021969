package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/novacron/novacron/engine/plan"
)

// symbols are the plan's action markers, as Terraform draws them.
var symbols = map[plan.Action]string{
	plan.Create: "+", plan.Update: "~", plan.Replace: "-/+", plan.Delete: "-",
	plan.Migrate: "→", plan.Start: "~", plan.Stop: "~", plan.Adopt: "<=",
}

// renderPlan writes a plan as text.
func (u *ui) renderPlan(out io.Writer, p *plan.Plan) {
	w := bufio.NewWriter(out)
	defer w.Flush()
	for _, warn := range p.Warnings {
		fmt.Fprintf(w, "\n%s %s\n", u.paint(bold+yellow, "Warning:"), printable(warn, true))
	}
	if p.Empty() {
		fmt.Fprintf(w, "\n%s %s\n", u.paint(bold+green, "No changes."), noChangesText(p))
		return
	}
	fmt.Fprintf(w, "\nNovaCron will perform the following actions:\n")
	for _, c := range p.Changes {
		u.renderChange(w, c)
	}
	fmt.Fprintf(w, "\n%s\n", u.paint(bold, summaryLine("Plan", p.Summary(), planWords)))
}

// summaryWords are the verbs of a summary line, planned or done.
type summaryWords struct{ adopt, add, change, destroy, migrate string }

var (
	planWords = summaryWords{"to adopt", "to add", "to change", "to destroy", "to migrate"}
	doneWords = summaryWords{"adopted", "added", "changed", "destroyed", "migrated"}
)

// summaryLine is "Plan: 1 to add, 2 to change, 0 to destroy, 0 to migrate."
// A replace counts as one add and one destroy; start and stop as changes;
// adoptions are named only when there are some.
func summaryLine(prefix string, s map[plan.Action]int, w summaryWords) string {
	add := s[plan.Create] + s[plan.Replace]
	change := s[plan.Update] + s[plan.Start] + s[plan.Stop]
	destroy := s[plan.Delete] + s[plan.Replace]
	line := prefix + ": "
	if s[plan.Adopt] > 0 {
		line += fmt.Sprintf("%d %s, ", s[plan.Adopt], w.adopt)
	}
	return line + fmt.Sprintf("%d %s, %d %s, %d %s, %d %s.",
		add, w.add, change, w.change, destroy, w.destroy, s[plan.Migrate], w.migrate)
}

func (u *ui) renderChange(w io.Writer, c *plan.Change) {
	sym := symbols[c.Action]
	fmt.Fprintf(w, "\n  %s %s\n", u.paint(bold, "# "+printable(c.Address, false)), headline(c))
	showReasons := c.Action != plan.Create && c.Action != plan.Update
	if showReasons {
		for _, r := range c.Reasons {
			fmt.Fprintf(w, "  #   %s\n", printable(r, false))
		}
	}
	name := c.After
	if name == nil {
		name = c.Before
	}
	fmt.Fprintf(w, "%s vm %s {\n", u.paint(u.actionColor(c.Action), fmt.Sprintf("%3s", sym)), quoted(name.Name))
	for _, l := range attrLines(c) {
		fmt.Fprintf(w, "      %s%s\n", u.paint(u.actionColor(l.action), l.sym), l.text)
	}
	fmt.Fprintf(w, "    }\n")
}

func headline(c *plan.Change) string {
	s := map[plan.Action]string{
		plan.Create: "will be created", plan.Delete: "will be destroyed",
		plan.Start: "will be started", plan.Stop: "will be stopped",
		plan.Adopt: "will be adopted (found by its ownership marker)",
	}[c.Action]
	switch c.Action {
	case plan.Adopt:
		if c.Imported {
			s = "will be imported"
		}
	case plan.Update:
		s = "will be updated in place"
		if c.Restart {
			s += ", with a restart"
		}
	case plan.Replace:
		s = "must be replaced (destroy, then create)"
		if c.CreateBeforeDestroy {
			s = "must be replaced (create, then destroy)"
		}
	case plan.Migrate:
		mode := "offline"
		if c.Live {
			mode = "live"
		}
		s = fmt.Sprintf("will be migrated %s: %s → %s", mode, cell(c.Before.Host), cell(c.After.Host))
	}
	if c.Batch > 0 {
		s += fmt.Sprintf(" (rollout batch %d)", c.Batch)
	}
	return s
}

func (u *ui) actionColor(a plan.Action) string {
	switch a {
	case plan.Create:
		return green
	case plan.Delete:
		return red
	case plan.Migrate, plan.Adopt:
		return cyan
	}
	return yellow
}

// attrLine is one attribute row of a change.
type attrLine struct {
	action plan.Action // for the color
	sym    string      // "+ ", "- ", "~ " or "  "
	text   string
}

func attrLines(c *plan.Change) []attrLine {
	var out []attrLine
	if c.ID != "" {
		out = append(out, attrLine{0, "  ", fmt.Sprintf("%-9s = %s", "id", quoted(c.ID))})
	}
	for _, d := range attrDiffs(c) {
		switch d.action {
		case plan.Create:
			out = append(out, attrLine{plan.Create, "+ ", fmt.Sprintf("%-9s = %s", d.key, d.after)})
		case plan.Delete:
			out = append(out, attrLine{plan.Delete, "- ", fmt.Sprintf("%-9s = %s", d.key, d.before)})
		default:
			out = append(out, attrLine{plan.Update, "~ ", fmt.Sprintf("%-9s = %s → %s", d.key, d.before, d.after)})
		}
	}
	return out
}

// attrDiff is one attribute a change sets (Create), unsets (Delete) or
// changes (Update), with its values rendered by attrMap. The text and
// Markdown renderings of a plan are both made from these.
type attrDiff struct {
	action        plan.Action
	key           string
	before, after string
}

func attrDiffs(c *plan.Change) []attrDiff {
	before, after := attrMap(c.Before), attrMap(c.After)
	var out []attrDiff
	for _, k := range attrOrder {
		b, inB := before[k]
		a, inA := after[k]
		if k == "template" && !inB && inA && c.Before != nil && c.Action != plan.Replace {
			continue // the driver cannot tell the VM's template: nothing changes it in place
		}
		switch {
		case inA && !inB:
			out = append(out, attrDiff{plan.Create, k, "", a})
		case inB && !inA:
			out = append(out, attrDiff{plan.Delete, k, b, ""})
		case a != b:
			out = append(out, attrDiff{plan.Update, k, b, a})
		}
	}
	return out
}

var attrOrder = []string{"name", "provider", "host", "template", "cpu", "memory_gb", "disk_gb", "power", "tags"}

// attrMap renders attributes as HCL-ish literals; empty ones are omitted.
func attrMap(a *plan.Attrs) map[string]string {
	if a == nil {
		return nil
	}
	m := map[string]string{
		"name": quoted(a.Name), "provider": quoted(a.Provider), "cpu": strconv.Itoa(a.CPU),
		"memory_gb": formatGB(a.MemoryMiB), "disk_gb": diskText(a.DiskGB),
		"power": quoted(string(a.Power)), "tags": formatTags(a.Tags),
	}
	if a.Host != "" {
		m["host"] = quoted(a.Host)
	}
	if a.Template != "" {
		m["template"] = templateText(a.TemplateName, a.Template)
	}
	return m
}

// templateText is a template as a plan shows it: the spec's name for it,
// when known, then its mapping (TemplateRef.ID, whose values are quoted),
// as in: ubuntu (image="ubuntu-22.04"). A name that is not plain is quoted,
// and the mapping, which a plan file could forge, is made printable with
// its backslashes doubled, so that the text stays one-to-one.
func templateText(name, id string) string {
	if strings.Contains(id, `\`) {
		id = strings.ReplaceAll(id, `\`, `\\`)
	}
	id = printable(id, false)
	if name == "" {
		return id
	}
	if !plainName(name) {
		name = quoted(name)
	}
	return name + " (" + id + ")"
}

// plainName reports a name of letters, digits, '.', '_' and '-', starting
// with a letter or digit: a template name written bare.
func plainName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || (i > 0 && (c == '.' || c == '_' || c == '-'))) {
			return false
		}
	}
	return s != ""
}

// diskText is a disk size; 0 is a size the driver cannot tell.
func diskText(gb int) string {
	if gb == 0 {
		return "(unknown)"
	}
	return strconv.Itoa(gb)
}

func formatGB(mib int64) string {
	return strconv.FormatFloat(float64(mib)/1024, 'f', -1, 64)
}
