package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/novacron/novacron/engine/plan"
)

// PolicyResult is one finding of a policy on a plan, as the Markdown
// summary shows it. Level is "deny" or "warn"; Address is the VM or fleet
// the finding names, when it names one.
type PolicyResult struct {
	Level   string `json:"level"`
	Address string `json:"address,omitempty"`
	Message string `json:"message"`
}

// markdownInput is what a Markdown summary is made from: the plan (the
// same structures the text and JSON renderings use) and what the policy
// check found, if it ran.
type markdownInput struct {
	Plan   *plan.Plan
	Policy []PolicyResult
	// Rows is how many changes are listed openly: a plan with more lists
	// its changes in a collapsed section. 0 means markdownRows.
	Rows int
	// MaxBytes is the size a collapsed list stops short of (the rows
	// left out are counted in a note), so the comment stays under the
	// size a forge accepts. 0 means markdownMaxBytes.
	MaxBytes int
}

const (
	markdownRows = 20
	// markdownMaxBytes keeps a summary under GitHub's 65,536 characters
	// for a comment, with room for what a pipeline adds around it.
	markdownMaxBytes = 60000
	// notesRoom is kept free for the notes and tags that close a list.
	notesRoom = 300
)

// writePlanMarkdown writes a plan's Markdown summary (docs/cli.md), all at
// once: nothing is half-written.
func writePlanMarkdown(w io.Writer, in markdownInput) error {
	if in.Rows <= 0 {
		in.Rows = markdownRows
	}
	if in.MaxBytes <= 0 {
		in.MaxBytes = markdownMaxBytes
	}
	_, err := io.WriteString(w, renderMarkdown(in))
	return err
}

func renderMarkdown(in markdownInput) string {
	var b strings.Builder
	p := in.Plan
	b.WriteString("### NovaCron plan\n\n")
	if p.Empty() {
		fmt.Fprintf(&b, "**No changes.** %s\n", noChangesText(p))
	} else {
		fmt.Fprintf(&b, "**%s**\n", summaryLine("Plan", p.Summary(), planWords))
	}
	mdPolicy(&b, in.Policy, in.MaxBytes/2)
	if !p.Empty() {
		mdFleets(&b, p)
		mdDestructive(&b, p, in)
		mdRollout(&b, p)
	}
	mdWarnings(&b, p.Warnings)
	if !p.Empty() {
		mdChanges(&b, p, in)
	}
	return b.String()
}

// mdPolicy lists denials, then warnings, each in the order given, until
// the summary reaches budget bytes; a note counts those left out, so a
// policy that denies every VM cannot push the comment past what a forge
// accepts.
func mdPolicy(b *strings.Builder, results []PolicyResult, budget int) {
	if len(results) == 0 {
		return
	}
	denies, warns := 0, 0
	for _, r := range results {
		if r.Level == "deny" {
			denies++
		} else {
			warns++
		}
	}
	fmt.Fprintf(b, "\n#### Policy: %s, %s\n\n", count(denies, "denial"), count(warns, "warning"))
	shown := 0
	for _, deny := range []bool{true, false} {
		for _, r := range results {
			if (r.Level == "deny") != deny {
				continue
			}
			line := "- " + policyLine(r) + "\n"
			if b.Len()+len(line) > budget {
				fmt.Fprintf(b, "- … and %d more, not shown (the plan's output lists them all)\n", len(results)-shown)
				return
			}
			b.WriteString(line)
			shown++
		}
	}
}

func policyLine(r PolicyResult) string {
	mark := "⚠"
	if r.Level == "deny" {
		mark = "⛔"
	}
	s := mark + " **" + mdText(r.Level) + "**"
	if r.Address != "" {
		s += " " + mdAddress(r.Address)
	}
	return s + ": " + mdText(r.Message)
}

func mdWarnings(b *strings.Builder, warnings []string) {
	if len(warnings) == 0 {
		return
	}
	b.WriteString("\n#### Warnings\n\n")
	for _, w := range warnings {
		b.WriteString("- " + mdText(w) + "\n")
	}
}

// count is "1 denial", "2 denials".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// noChangesText says why a plan is empty, as the text rendering does.
func noChangesText(p *plan.Plan) string {
	if p.Destroy {
		return "No VMs are managed by this workspace."
	}
	return "The VMs match the spec."
}

// fits reports whether line can be added to a collapsed list and leave
// room for the notes and tags that close it.
func fits(b *strings.Builder, line string, in markdownInput) bool {
	return b.Len()+len(line)+notesRoom <= in.MaxBytes
}

// changesOf returns the plan's changes with one of the actions, in plan order.
func changesOf(p *plan.Plan, actions ...plan.Action) []*plan.Change {
	var out []*plan.Change
	for _, c := range p.Changes {
		if slices.Contains(actions, c.Action) {
			out = append(out, c)
		}
	}
	return out
}
