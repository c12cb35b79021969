package operation

import (
	"fmt"
	"maps"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
)

// Context is the Extra of every diagnostic OutcomeDiagnostics returns: the
// changes it is about, in a form a face without an HCL source (the
// Terraform provider) maps to its own paths. Read it with
// hcl.DiagnosticExtra[*operation.Context](diag).
type Context struct {
	Fleet addrs.Fleet
	// Changes holds the failed change of an error, or each change of the
	// fleet that was not made for a warning.
	Changes []ChangeContext
}

// ChangeContext is one change a diagnostic is about.
type ChangeContext struct {
	// Address is the VM's address; the zero Instance when the change's
	// address does not parse (a marker something else wrote).
	Address addrs.Instance
	Action  plan.Action
	Status  exec.Status
	// Attribute is the spec attribute the change is about, where there
	// is one: "host" for a migrate, "power" for a start or stop, the one
	// attribute an update changes; "" otherwise.
	Attribute string
	// Reason says why a change was not made (Skipped, NotStarted).
	Reason string
}

// maxListed bounds the changes a not-made warning lists in its Detail; its
// Context lists them all.
const maxListed = 10

// OutcomeDiagnostics turns an apply's outcomes into diagnostics: an error
// for each failed change, naming the VM's address and name, the action, the
// error and the attempts; and a warning per fleet listing the changes that
// were not made and why. Each has the fleet block's range when sp (which
// may be nil) holds the fleet, and a *Context as Extra.
func OutcomeDiagnostics(sp *spec.Spec, p *plan.Plan, res *exec.Result) hcl.Diagnostics {
	var diags hcl.Diagnostics
	notMade := map[string][]int{}
	var order []string
	for i, o := range res.Outcomes {
		c := p.Changes[i]
		switch o.Status {
		case exec.Failed:
			diags = append(diags, failed(sp, c, o))
		case exec.Skipped, exec.NotStarted:
			if notMade[c.Fleet] == nil {
				order = append(order, c.Fleet)
			}
			notMade[c.Fleet] = append(notMade[c.Fleet], i)
		}
	}
	for _, fleet := range order {
		diags = append(diags, notMadeWarning(sp, fleet, p, res, notMade[fleet]))
	}
	return diags
}

func failed(sp *spec.Spec, c *plan.Change, o exec.Outcome) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  fmt.Sprintf("%s: %s failed", c.Address, c.Action),
		Detail: fmt.Sprintf("%s (VM %q, after %s).",
			strings.TrimSuffix(spec.Sentence(o.Err.Error()), "."), vmName(c), attempts(o.Attempts)),
		Subject: fleetRange(sp, c.Fleet),
		Extra:   &Context{Fleet: fleetAddr(c.Fleet), Changes: []ChangeContext{changeContext(c, o, "")}},
	}
}

func notMadeWarning(sp *spec.Spec, fleet string, p *plan.Plan, res *exec.Result, idx []int) *hcl.Diagnostic {
	ctx := &Context{Fleet: fleetAddr(fleet)}
	lines := make([]string, 0, min(len(idx), maxListed+1))
	for n, i := range idx {
		c, o := p.Changes[i], res.Outcomes[i]
		why := notMadeReason(o, res)
		ctx.Changes = append(ctx.Changes, changeContext(c, o, why))
		if n < maxListed {
			lines = append(lines, fmt.Sprintf("- %s (%s): %s", c.Address, c.Action, why))
		}
	}
	if len(idx) > maxListed {
		lines = append(lines, fmt.Sprintf("- and %d more", len(idx)-maxListed))
	}
	what := fmt.Sprintf("%d changes", len(idx))
	if len(idx) == 1 {
		what = "1 change"
	}
	return &hcl.Diagnostic{
		Severity: hcl.DiagWarning,
		Summary:  fmt.Sprintf("%s: %s not made", fleet, what),
		Detail:   strings.Join(lines, "\n"),
		Subject:  fleetRange(sp, fleet),
		Extra:    ctx,
	}
}

// notMadeReason says why a change was skipped or not started.
func notMadeReason(o exec.Outcome, res *exec.Result) string {
	switch {
	case o.Status == exec.Skipped:
		return "skipped: " + o.Reason
	case res.Interrupted:
		return "not started: the apply was interrupted"
	case res.StateErr != nil:
		return "not started: the state could not be saved"
	}
	return "not started"
}

func changeContext(c *plan.Change, o exec.Outcome, reason string) ChangeContext {
	a, _ := addrs.ParseInstance(c.Address)
	return ChangeContext{Address: a, Action: c.Action, Status: o.Status, Attribute: attribute(c), Reason: reason}
}

// attribute is the spec attribute a change is about, or "".
func attribute(c *plan.Change) string {
	switch c.Action {
	case plan.Migrate:
		return "host"
	case plan.Start, plan.Stop:
		return "power"
	case plan.Update:
		return updatedAttribute(c.Before, c.After)
	}
	return ""
}

// updatedAttribute names the one attribute an update changes, or "" when
// it changes several.
func updatedAttribute(b, a *plan.Attrs) string {
	var changed []string
	for _, d := range []struct {
		name string
		diff bool
	}{
		{"cpu", a.CPU != b.CPU}, {"memory_gb", a.MemoryMiB != b.MemoryMiB}, {"disk_gb", a.DiskGB != b.DiskGB},
		{"power", a.Power != b.Power}, {"tags", !maps.Equal(a.Tags, b.Tags)},
	} {
		if d.diff {
			changed = append(changed, d.name)
		}
	}
	if len(changed) != 1 {
		return ""
	}
	return changed[0]
}

func fleetRange(sp *spec.Spec, fleet string) *hcl.Range {
	if sp == nil {
		return nil
	}
	if f := sp.Fleet(fleet); f != nil {
		return subject(f.DeclRange)
	}
	return nil
}

func fleetAddr(fleet string) addrs.Fleet {
	f, _ := addrs.ParseFleet(fleet)
	return f
}

func vmName(c *plan.Change) string {
	if c.After != nil {
		return c.After.Name
	}
	return c.Before.Name
}

func attempts(n int) string {
	if n == 1 {
		return "1 attempt"
	}
	return fmt.Sprintf("%d attempts", n)
}
