package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/novacron/novacron/engine/plan"
)

// fleetRow counts one fleet's changes on one provider.
type fleetRow struct {
	fleet, provider string
	n               map[plan.Action]int
}

// mdFleets writes the per-fleet table; adoptions get a column only when
// there are some.
func mdFleets(b *strings.Builder, p *plan.Plan) {
	rows := fleetRows(p)
	adopts := p.Summary()[plan.Adopt] > 0
	b.WriteString("\n| Fleet | Provider | Add | Change | Replace | Destroy | Migrate |")
	sep := "\n| --- | --- | ---: | ---: | ---: | ---: | ---: |"
	if adopts {
		b.WriteString(" Adopt |")
		sep += " ---: |"
	}
	b.WriteString(sep + "\n")
	for _, r := range rows {
		fmt.Fprintf(b, "| %s | %s | %d | %d | %d | %d | %d |", mdCellAddress(r.fleet), mdCell(r.provider),
			r.n[plan.Create], r.n[plan.Update]+r.n[plan.Start]+r.n[plan.Stop], r.n[plan.Replace], r.n[plan.Delete], r.n[plan.Migrate])
		if adopts {
			fmt.Fprintf(b, " %d |", r.n[plan.Adopt])
		}
		b.WriteString("\n")
	}
}

func fleetRows(p *plan.Plan) []*fleetRow {
	byKey := map[[2]string]*fleetRow{}
	var rows []*fleetRow
	for _, c := range p.Changes {
		key := [2]string{fleetOf(c), c.Provider()}
		r := byKey[key]
		if r == nil {
			r = &fleetRow{fleet: key[0], provider: key[1], n: map[plan.Action]int{}}
			byKey[key] = r
			rows = append(rows, r)
		}
		r.n[c.Action]++
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].fleet != rows[j].fleet {
			return rows[i].fleet < rows[j].fleet
		}
		return rows[i].provider < rows[j].provider
	})
	return rows
}

// fleetOf is the fleet of a change: a lone VM is its own fleet.
func fleetOf(c *plan.Change) string {
	if c.Fleet == "" {
		return c.Address
	}
	return c.Fleet
}

// mdDestructive calls out every replace and delete: the changes a reviewer
// must see. Past in.Rows the rest are listed in a collapsed section.
func mdDestructive(b *strings.Builder, p *plan.Plan, in markdownInput) {
	cs := changesOf(p, plan.Replace, plan.Delete)
	if len(cs) == 0 {
		return
	}
	s := p.Summary()
	fmt.Fprintf(b, "\n#### ⚠ %s replaced, %s destroyed\n\n", count(s[plan.Replace], "VM"), strconv.Itoa(s[plan.Delete]))
	open := min(len(cs), in.Rows)
	for _, c := range cs[:open] {
		b.WriteString("- " + destructiveLine(c) + "\n")
	}
	if rest := cs[open:]; len(rest) > 0 {
		fmt.Fprintf(b, "\n<details><summary>%d more replaced or destroyed</summary>\n\n", len(rest))
		shown := 0
		for _, c := range rest {
			line := "- " + destructiveLine(c) + "\n"
			if !fits(b, line, in) {
				break
			}
			b.WriteString(line)
			shown++
		}
		mdNotShown(b, len(rest)-shown)
		b.WriteString("\n</details>\n")
	}
}

func destructiveLine(c *plan.Change) string {
	what := "destroy"
	if c.Action == plan.Replace {
		what = "replace"
	}
	s := "⚠ **" + what + "** " + mdAddress(c.Address)
	if c.ID != "" {
		s += " (" + mdCode(c.ID) + ")"
	}
	if c.Action == plan.Replace {
		s += map[bool]string{false: ", destroy then create", true: ", create then destroy"}[c.CreateBeforeDestroy]
	}
	if len(c.Reasons) > 0 {
		s += ": " + reasonsText(c.Reasons)
	}
	return s
}

func reasonsText(reasons []string) string {
	parts := make([]string, len(reasons))
	for i, r := range reasons {
		parts[i] = mdText(r)
	}
	return strings.Join(parts, "; ")
}

// mdNotShown notes the changes a list leaves out.
func mdNotShown(b *strings.Builder, n int) {
	if n > 0 {
		fmt.Fprintf(b, "\n… and %d more, not shown here: `nova-plan show PLANFILE` lists every change.\n", n)
	}
}

// batchRow is one rollout batch of one fleet.
type batchRow struct {
	fleet string
	batch int
	addrs []string
}

// maxBatchAddrs is how many addresses a rollout batch names.
const maxBatchAddrs = 10

// mdRollout writes the rollout batches, per fleet in plan order.
func mdRollout(b *strings.Builder, p *plan.Plan) {
	rows := batchRows(p)
	if len(rows) == 0 {
		return
	}
	b.WriteString("\n#### Rollout batches\n\n| Fleet | Batch | VMs |\n| --- | ---: | --- |\n")
	for _, r := range rows {
		names := make([]string, 0, maxBatchAddrs)
		for _, a := range r.addrs[:min(len(r.addrs), maxBatchAddrs)] {
			names = append(names, mdCellAddress(a))
		}
		list := strings.Join(names, ", ")
		if extra := len(r.addrs) - maxBatchAddrs; extra > 0 {
			list += fmt.Sprintf(" and %d more", extra)
		}
		fmt.Fprintf(b, "| %s | %d | %s |\n", mdCellAddress(r.fleet), r.batch, list)
	}
}

func batchRows(p *plan.Plan) []*batchRow {
	type key struct {
		fleet string
		batch int
	}
	byKey := map[key]*batchRow{}
	seen := map[string]bool{}
	var rows []*batchRow
	for _, c := range p.Changes {
		if c.Batch == 0 {
			continue
		}
		k := key{fleetOf(c), c.Batch}
		r := byKey[k]
		if r == nil {
			r = &batchRow{fleet: k.fleet, batch: k.batch}
			byKey[k] = r
			rows = append(rows, r)
		}
		if !seen[c.Address] {
			seen[c.Address] = true
			r.addrs = append(r.addrs, c.Address)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		return rows[i].fleet < rows[j].fleet || (rows[i].fleet == rows[j].fleet && rows[i].batch < rows[j].batch)
	})
	return rows
}

// mdChanges lists every change, collapsed past in.Rows, as many as fit.
func mdChanges(b *strings.Builder, p *plan.Plan, in markdownInput) {
	cs := p.Changes
	collapsed := len(cs) > in.Rows
	if collapsed {
		fmt.Fprintf(b, "\n<details><summary>All %d changes</summary>\n\n", len(cs))
	} else {
		b.WriteString("\n#### Changes\n\n")
	}
	b.WriteString("| Address | Action | Details |\n| --- | --- | --- |\n")
	shown := 0
	for _, c := range cs {
		row := fmt.Sprintf("| %s | %s | %s |\n", mdCellAddress(c.Address), actionText(c), detailsText(c))
		if collapsed && !fits(b, row, in) {
			break
		}
		b.WriteString(row)
		shown++
	}
	mdNotShown(b, len(cs)-shown)
	if collapsed {
		b.WriteString("\n</details>\n")
	}
}

// actionText is the action with what qualifies it.
func actionText(c *plan.Change) string {
	s := c.Action.String()
	switch {
	case c.Action == plan.Update && c.Restart:
		s += " (restart)"
	case c.Action == plan.Replace && c.CreateBeforeDestroy:
		s += " (create first)"
	case c.Action == plan.Migrate && c.Live:
		s += " (live)"
	case c.Action == plan.Migrate:
		s += " (offline)"
	case c.Action == plan.Adopt && c.Imported:
		s += " (import)"
	}
	if c.Batch > 0 {
		s += fmt.Sprintf(", batch %d", c.Batch)
	}
	return s
}

// detailsText is what a change sets: the attributes a create (or an
// adopt that records a VM anew) gives, the VM a delete removes, and
// otherwise each attribute that changes, one a line. Values are rendered
// by attrDiffs, as in the text plan (sensitive settings sealed, strings
// quoted); a new VM's provider (in the fleet table), power and empty tags
// are left out.
func detailsText(c *plan.Change) string {
	if c.Action == plan.Delete {
		return "`id` = " + mdCell(quoted(c.ID)) + ", `name` = " + mdCell(quoted(c.Before.Name))
	}
	var parts []string
	sep := "<br>"
	for _, d := range attrDiffs(c) {
		switch {
		case c.Before == nil && (d.key == "provider" || d.key == "power" || d.after == "{}"):
		case d.action == plan.Create:
			parts = append(parts, "`"+d.key+"` = "+mdCell(d.after))
		case d.action == plan.Delete:
			parts = append(parts, "`"+d.key+"`: "+mdCell(d.before)+" → (none)")
		default:
			parts = append(parts, "`"+d.key+"`: "+mdCell(d.before)+" → "+mdCell(d.after))
		}
	}
	if c.Before == nil {
		sep = ", "
	}
	return strings.Join(parts, sep)
}
