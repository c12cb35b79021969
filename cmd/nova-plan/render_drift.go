package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/novacron/novacron/engine/plan"
)

// renderDrift writes the drift as text: each drifted VM with its
// attributes as applied → live, a count, then the pending changes.
func (u *ui) renderDrift(out io.Writer, d *plan.Drift) error {
	w := bufio.NewWriter(out)
	if !d.Drifted() {
		fmt.Fprintf(w, "\n%s The VMs match what was last applied.\n", u.paint(bold+green, "No drift."))
	} else {
		fmt.Fprintf(w, "\nThese VMs changed outside NovaCron since they were last applied:\n")
		for _, v := range d.VMs {
			u.renderVMDrift(w, v)
		}
		fmt.Fprintf(w, "\n%s\n", u.paint(bold, driftSummary(d)))
	}
	renderPending(w, d.Pending)
	return w.Flush()
}

var driftHeadlines = map[plan.DriftKind]string{
	plan.DriftChanged:    "changed",
	plan.DriftDeleted:    "was deleted",
	plan.DriftUnmanaged:  "has its name taken by an unmanaged VM",
	plan.DriftUnrecorded: "has a VM with its marker that the state does not record",
	plan.DriftTakenOver:  "was taken over by another workspace",
}

func (u *ui) renderVMDrift(w io.Writer, v *plan.VMDrift) {
	fmt.Fprintf(w, "\n  %s %s (%s, %s)\n", u.paint(bold, "# "+printable(v.Address, false)), driftHeadlines[v.Kind], printable(v.Provider, false), printable(v.ID, false))
	if v.Detail != "" {
		fmt.Fprintf(w, "  #   %s\n", printable(v.Detail, false))
	}
	for _, a := range v.Attrs {
		fmt.Fprintf(w, "      %s: %s → %s\n", printable(a.Path, false), attrText(a.Path, a.Before), attrText(a.Path, a.After))
	}
	if len(v.Ignored) > 0 {
		fmt.Fprintf(w, "      (ignored by drift rules: %s)\n", printable(strings.Join(v.Ignored, ", "), false))
	}
}

// attrText is one attribute value as the text output shows it.
func attrText(path string, v any) string {
	switch x := v.(type) {
	case nil:
		return "(none)"
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		if path == "template" {
			return templateText("", x)
		}
		return quoted(x)
	}
	return printable(fmt.Sprint(v), false)
}

// driftSummary is "Drift: 3 VMs (1 changed, 1 deleted, 1 unmanaged)."
func driftSummary(d *plan.Drift) string {
	counts := map[plan.DriftKind]int{}
	for _, v := range d.VMs {
		counts[v.Kind]++
	}
	var parts []string
	for _, k := range []plan.DriftKind{plan.DriftChanged, plan.DriftDeleted, plan.DriftUnmanaged, plan.DriftUnrecorded, plan.DriftTakenOver} {
		if counts[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[k], strings.ReplaceAll(string(k), "_", " ")))
		}
	}
	return fmt.Sprintf("Drift: %d VMs (%s).", len(d.VMs), strings.Join(parts, ", "))
}

// renderPending lists the changes the spec asks of what was applied,
// apart from the drift: a plan would make them too.
func renderPending(w io.Writer, ps []*plan.PendingChange) {
	if len(ps) == 0 {
		return
	}
	fmt.Fprintf(w, "\nPending changes (the spec differs from what was last applied; `nova-plan plan` shows them in full):\n")
	for _, p := range ps {
		var attrs []string
		for _, a := range p.Attrs {
			attrs = append(attrs, fmt.Sprintf("%s %s → %s", printable(a.Path, false), attrText(a.Path, a.Before), attrText(a.Path, a.After)))
		}
		line := fmt.Sprintf("  %s %s %s", symbols[p.Action], printable(p.Address, false), p.Action)
		if len(attrs) > 0 {
			line += ": " + strings.Join(attrs, ", ")
		}
		fmt.Fprintln(w, line)
	}
}

// jsonDrift is the drift document (docs/json-format.md).
type jsonDrift struct {
	FormatVersion string             `json:"format_version"`
	Drifted       bool               `json:"drifted"`
	Lineage       string             `json:"lineage"`
	StateSerial   uint64             `json:"state_serial"`
	VMs           []jsonVMDrift      `json:"vms"`
	Summary       map[string]int     `json:"summary"`
	Pending       []jsonPendingDrift `json:"pending"`
}

type jsonVMDrift struct {
	Address  string          `json:"address"`
	Fleet    string          `json:"fleet"`
	Provider string          `json:"provider"`
	ID       string          `json:"id"`
	Name     string          `json:"name"`
	Kind     string          `json:"kind"`
	Detail   string          `json:"detail"`
	Changes  []jsonAttrDrift `json:"changes"`
	Ignored  []string        `json:"ignored"`
}

type jsonAttrDrift struct {
	Path    string `json:"path"`
	Applied any    `json:"applied"`
	Live    any    `json:"live"`
}

type jsonPendingDrift struct {
	Address string            `json:"address"`
	Action  string            `json:"action"`
	Changes []jsonAttrPending `json:"changes"`
}

type jsonAttrPending struct {
	Path    string `json:"path"`
	Applied any    `json:"applied"`
	Spec    any    `json:"spec"`
}

func driftJSON(d *plan.Drift) jsonDrift {
	out := jsonDrift{
		FormatVersion: JSONFormatVersion, Drifted: d.Drifted(), Lineage: d.Lineage, StateSerial: d.StateSerial,
		VMs: []jsonVMDrift{}, Summary: map[string]int{}, Pending: []jsonPendingDrift{},
	}
	for _, v := range d.VMs {
		j := jsonVMDrift{Address: v.Address, Fleet: v.Fleet, Provider: v.Provider, ID: v.ID, Name: v.Name,
			Kind: string(v.Kind), Detail: v.Detail, Changes: []jsonAttrDrift{}, Ignored: v.Ignored}
		if j.Ignored == nil {
			j.Ignored = []string{}
		}
		for _, a := range v.Attrs {
			j.Changes = append(j.Changes, jsonAttrDrift{a.Path, a.Before, a.After})
		}
		out.VMs = append(out.VMs, j)
		out.Summary[string(v.Kind)]++
	}
	for _, p := range d.Pending {
		j := jsonPendingDrift{Address: p.Address, Action: p.Action.String(), Changes: []jsonAttrPending{}}
		for _, a := range p.Attrs {
			j.Changes = append(j.Changes, jsonAttrPending{a.Path, a.Before, a.After})
		}
		out.Pending = append(out.Pending, j)
	}
	return out
}
