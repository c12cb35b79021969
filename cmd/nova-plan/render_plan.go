package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/novacron/novacron/engine/plan"
)

// symbols are the plan's action markers, as Terraform draws them.
var symbols = map[plan.Action]string{
	plan.Create: "+", plan.Update: "~", plan.Replace: "-/+", plan.Delete: "-",
	plan.Migrate: "→", plan.Start: "~", plan.Stop: "~", plan.Adopt: "<=",
	plan.Move: "", plan.Forget: ".",
}

// renderPlan writes a plan as text.
func (u *ui) renderPlan(out io.Writer, p *plan.Plan) {
	w := bufio.NewWriter(out)
	defer w.Flush()
	for _, warn := range p.Warnings {
		if u.warned[warn] {
			continue // shown as a diagnostic, at its source
		}
		fmt.Fprintf(w, "\n%s %s\n", u.paint(bold+yellow, "Warning:"), printable(warn, true))
	}
	if p.Empty() {
		fmt.Fprintf(w, "\n%s %s\n", u.paint(bold+green, "No changes."), noChangesText(p))
		return
	}
	fmt.Fprintf(w, "\nNovaCron will perform the following actions:\n")
	u.renderChanges(w, p.Changes)
	fmt.Fprintf(w, "\n%s\n", u.paint(bold, summaryLine("Plan", p.Summary(), planWords)))
	if p.Cost != nil {
		fmt.Fprintf(w, "Monthly cost: %s\n", planCostText(p.Cost))
	}
}

// summaryWords are the verbs of a summary line, planned or done.
type summaryWords struct{ adopt, add, change, destroy, migrate, move, forget string }

var (
	planWords = summaryWords{"to adopt", "to add", "to change", "to destroy", "to migrate", "to move", "to forget"}
	doneWords = summaryWords{"adopted", "added", "changed", "destroyed", "migrated", "moved", "forgotten"}
)

// summaryLine is "Plan: 1 to add, 2 to change, 0 to destroy, 0 to migrate."
// A replace counts as one add and one destroy; start and stop as changes;
// adoptions, moves and forgets are named only when there are some.
func summaryLine(prefix string, s map[plan.Action]int, w summaryWords) string {
	add := s[plan.Create] + s[plan.Replace]
	change := s[plan.Update] + s[plan.Start] + s[plan.Stop]
	destroy := s[plan.Delete] + s[plan.Replace]
	line := prefix + ": "
	if s[plan.Adopt] > 0 {
		line += fmt.Sprintf("%d %s, ", s[plan.Adopt], w.adopt)
	}
	line += fmt.Sprintf("%d %s, %d %s, %d %s, %d %s",
		add, w.add, change, w.change, destroy, w.destroy, s[plan.Migrate], w.migrate)
	if s[plan.Move] > 0 {
		line += fmt.Sprintf(", %d %s", s[plan.Move], w.move)
	}
	if s[plan.Forget] > 0 {
		line += fmt.Sprintf(", %d %s", s[plan.Forget], w.forget)
	}
	return line + "."
}

func (u *ui) renderChange(w textWriter, c *plan.Change) {
	w.WriteString("\n  ")
	if c.Action == plan.Move { // Terraform's words: # fleet.web[0] has moved to fleet.frontend[0]
		w.WriteString(u.paint(bold, "# "+printable(c.PreviousAddress, false)+" has moved to "+printable(c.Address, false)))
	} else {
		w.WriteString(u.paint(bold, "# "+printable(c.Address, false)))
		w.WriteByte(' ')
		writeHeadline(w, c)
	}
	w.WriteByte('\n')
	switch {
	case c.PreviousAddress != "" && c.Action == plan.Delete: // no move of its own: it is deleted where it lands
		w.WriteString("  # (" + printable(c.PreviousAddress, false) + " has moved to " + printable(c.Address, false) + ")\n")
	case c.PreviousAddress != "" && c.Action != plan.Move:
		w.WriteString("  # (moved from " + printable(c.PreviousAddress, false) + ")\n")
	}
	showReasons := c.Action != plan.Create && c.Action != plan.Update || c.Burst
	if showReasons {
		for _, r := range c.Reasons {
			w.WriteString("  #   ")
			w.WriteString(printable(r, false))
			w.WriteByte('\n')
		}
	}
	name := c.After
	if name == nil {
		name = c.Before
	}
	w.WriteString(u.paint(u.actionColor(c.Action), padLeft(symbols[c.Action], 3)))
	w.WriteString(" vm ")
	w.WriteString(quoted(name.Name))
	w.WriteString(" {\n")
	var rows [numAttrs + 1]attrLine // on the stack: no slice per change
	for _, l := range appendAttrLines(rows[:0], c) {
		w.WriteString("      ")
		w.WriteString(u.paint(u.actionColor(l.action), l.sym))
		w.WriteString(l.key)
		w.WriteString(l.text)
		w.WriteByte('\n')
	}
	w.WriteString("    }\n")
	if c.Cost != nil {
		w.WriteString("    # " + costText(c.Cost) + "\n")
	}
}

// padLeft is fmt's %Ns: s after spaces up to n characters.
func padLeft(s string, n int) string {
	if pad := n - utf8.RuneCountInString(s); pad > 0 {
		return strings.Repeat(" ", pad) + s
	}
	return s
}

// writeHeadline writes what a change does, after its address.
func writeHeadline(w textWriter, c *plan.Change) {
	switch c.Action {
	case plan.Create:
		w.WriteString("will be created")
	case plan.Delete:
		w.WriteString("will be destroyed")
	case plan.Start:
		w.WriteString("will be started")
	case plan.Stop:
		w.WriteString("will be stopped")
	case plan.Forget:
		w.WriteString("will no longer be managed: the state forgets it, the VM is not destroyed")
	case plan.Adopt:
		if c.Imported {
			w.WriteString("will be imported")
		} else {
			w.WriteString("will be adopted (found by its ownership marker)")
		}
	case plan.Update:
		w.WriteString("will be updated in place")
		if c.Restart {
			w.WriteString(", with a restart")
		}
	case plan.Replace:
		if c.CreateBeforeDestroy {
			w.WriteString("must be replaced (create, then destroy)")
		} else {
			w.WriteString("must be replaced (destroy, then create)")
		}
	case plan.Migrate:
		mode := "offline"
		if c.Live {
			mode = "live"
		}
		fmt.Fprintf(w, "will be migrated %s: %s → %s", mode, cell(c.Before.Host), cell(c.After.Host))
	}
	if c.Batch > 0 {
		w.WriteString(" (rollout batch ")
		w.WriteString(strconv.Itoa(c.Batch))
		w.WriteByte(')')
	}
}

func (u *ui) actionColor(a plan.Action) string {
	switch a {
	case plan.Create:
		return green
	case plan.Delete:
		return red
	case plan.Migrate, plan.Adopt, plan.Move, plan.Forget:
		return cyan
	}
	return yellow
}

// attrLine is one attribute row of a change: sym, key, then text.
type attrLine struct {
	action plan.Action // for the color
	sym    string      // "+ ", "- ", "~ " or "  "
	key    string      // keyText of the attribute
	text   string
}

func attrLines(c *plan.Change) []attrLine {
	return appendAttrLines(make([]attrLine, 0, numAttrs+1), c)
}

// appendAttrLines appends the attribute rows of c to out.
func appendAttrLines(out []attrLine, c *plan.Change) []attrLine {
	if c.ID != "" {
		out = append(out, attrLine{0, "  ", keyText("id"), quoted(c.ID)})
	}
	var diffs [numAttrs]attrDiff
	for _, d := range appendAttrDiffs(diffs[:0], c) {
		switch d.action {
		case plan.Create:
			out = append(out, attrLine{plan.Create, "+ ", keyText(d.key), d.after})
		case plan.Delete:
			out = append(out, attrLine{plan.Delete, "- ", keyText(d.key), d.before})
		default:
			out = append(out, attrLine{plan.Update, "~ ", keyText(d.key), d.before + " → " + d.after})
		}
	}
	return out
}

// keyTexts are the keyText of the attributes a change shows, made once.
var keyTexts = func() map[string]string {
	m := map[string]string{"id": padKey("id")}
	for _, k := range attrOrder {
		m[k] = padKey(k)
	}
	return m
}()

// keyText is an attribute's key as a row starts with it: fmt's "%-9s = ".
func keyText(k string) string {
	if t, ok := keyTexts[k]; ok {
		return t
	}
	return padKey(k)
}

func padKey(k string) string {
	if pad := 9 - utf8.RuneCountInString(k); pad > 0 {
		return k + strings.Repeat(" ", pad) + " = "
	}
	return k + " = "
}

// attrDiff is one attribute a change sets (Create), unsets (Delete) or
// changes (Update), with its values rendered by attrValues. The text and
// Markdown renderings of a plan are both made from these.
type attrDiff struct {
	action        plan.Action
	key           string
	before, after string
}

func attrDiffs(c *plan.Change) []attrDiff {
	return appendAttrDiffs(make([]attrDiff, 0, numAttrs), c)
}

// appendAttrDiffs appends the attribute differences of c to out.
func appendAttrDiffs(out []attrDiff, c *plan.Change) []attrDiff {
	if c.Action == plan.Forget {
		return out // nothing changes: the VM is left as it is
	}
	before, after := attrValues(c.Before), attrValues(c.After)
	for i, k := range attrOrder {
		b, inB := before[i].text, before[i].set
		a, inA := after[i].text, after[i].set
		if k == "template" && !inB && inA && c.Before != nil && c.Action != plan.Replace {
			continue // the driver cannot tell the VM's template: nothing changes it in place
		}
		if k == "template" && inB && inA && c.Before.Template == c.After.Template && (c.Before.TemplateName == "" || c.After.TemplateName == "") {
			continue // the same image, one side named, the other not (a provider change)
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

var attrOrder = [...]string{"name", "provider", "host", "template", "cpu", "memory_gb", "disk_gb", "power", "tags"}

// numAttrs is the number of attributes a change shows.
const numAttrs = len(attrOrder)

// attrValue is an attribute as HCL-ish literal text; set is false for one
// left out (empty).
type attrValue struct {
	text string
	set  bool
}

// attrValues renders attributes as HCL-ish literals, in attrOrder; empty
// ones are not set, nor any of nil attributes.
func attrValues(a *plan.Attrs) [numAttrs]attrValue {
	var v [numAttrs]attrValue
	if a == nil {
		return v
	}
	v[0] = attrValue{quoted(a.Name), true}
	v[1] = attrValue{quoted(a.Provider), true}
	if a.Host != "" {
		v[2] = attrValue{quoted(a.Host), true}
	}
	if a.Template != "" {
		v[3] = attrValue{templateText(a.TemplateName, a.Template), true}
	}
	v[4] = attrValue{strconv.Itoa(a.CPU), true}
	v[5] = attrValue{formatGB(a.MemoryMiB), true}
	v[6] = attrValue{diskText(a.DiskGB), true}
	v[7] = attrValue{quoted(string(a.Power)), true}
	v[8] = attrValue{formatTags(a.Tags), true}
	return v
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
