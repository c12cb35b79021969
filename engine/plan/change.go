package plan

import (
	"github.com/novacron/novacron/engine/driver"
)

// FormatVersion is the newest version of the saved plan format, the one
// a plan holding a move or a forget is saved in; a plan without them is
// saved in MovelessFormatVersion, which nova-plan builds from before the
// moved and removed blocks read too. Version 2 records the inventory
// fingerprint in parts (Fingerprint); version 3 may hold the move and
// forget actions, which a nova-plan reading only version 2 would refuse as
// an unknown action: it refuses version 3 as saved by a newer nova-plan.
const FormatVersion = 3

// MovelessFormatVersion is the version of a saved plan without a move or
// a forget: the oldest this nova-plan reads.
const MovelessFormatVersion = 2

// Attrs are a VM's attributes as a plan shows them.
type Attrs struct {
	Provider     string            `json:"provider"`
	Name         string            `json:"name"`
	Host         string            `json:"host,omitempty"`
	CPU          int               `json:"cpu"`
	MemoryMiB    int64             `json:"memory_mib"`
	DiskGB       int               `json:"disk_gb"`
	Power        driver.Power      `json:"power"`
	Template     string            `json:"template,omitempty"`      // driver.TemplateRef.ID
	TemplateName string            `json:"template_name,omitempty"` // the spec's template name
	Tags         map[string]string `json:"tags,omitempty"`
}

// Change is one action on one VM.
type Change struct {
	Address string `json:"address"`
	Fleet   string `json:"fleet"` // fleet or vm address
	Action  Action `json:"action"`
	// ID is the live VM the change acts on; empty for create.
	ID      string   `json:"id,omitempty"`
	Before  *Attrs   `json:"before,omitempty"`
	After   *Attrs   `json:"after,omitempty"`
	Reasons []string `json:"reasons"`
	// Restart: an update that stops and starts the VM.
	Restart bool `json:"restart,omitempty"`
	// Live: a migration that keeps the VM running.
	Live bool `json:"live,omitempty"`
	// CreateBeforeDestroy: a replace that makes the new VM first.
	CreateBeforeDestroy bool `json:"create_before_destroy,omitempty"`
	// Batch is the rollout batch (1, 2, …) or 0 outside rollouts.
	Batch int `json:"batch,omitempty"`
	// Marker is written on a created VM (create, replace), and on an
	// imported one (adopt with Imported).
	Marker *driver.Marker `json:"marker,omitempty"`
	// Imported: an adopt that an import block or `nova-plan import` asked
	// for; the VM gets the workspace's marker. An adopt without it takes a
	// VM that already carries the marker (left by an interrupted apply).
	Imported bool `json:"imported,omitempty"`
	// DependsOn are the fleets the change's fleet depends on, recorded in
	// state so deletes keep their order after the spec forgets them.
	DependsOn []string `json:"depends_on,omitempty"`
	// MovedFrom is the address an adopt moves the VM from (`state mv`): the
	// state forgets it there as it records it at Address, and After is the
	// state's record, kept as it was. With Imported the VM's marker is
	// rewritten to name Address first.
	MovedFrom string `json:"moved_from,omitempty"`
	// PreviousAddress is the address the state recorded the VM at before a
	// moved block moved it (moves.go): set on the move and on every other
	// change of the moved VM in the same plan.
	PreviousAddress string `json:"previous_address,omitempty"`
	// Cost is what the change does to the monthly bill, when its
	// provider has prices (cost.go).
	Cost *Cost `json:"cost,omitempty"`
	// Burst: a create (or a replace) that lands on the fleet's burst_to
	// provider because no host of its own provider can take the VM; a
	// replace that brings such a VM back; or a change to one that stays
	// there (burst_stay.go).
	Burst bool `json:"burst,omitempty"`

	// Template is the template to create from (create, replace). It is
	// not saved in plan files: Bind fills it from the spec.
	Template driver.TemplateRef `json:"-"`
}

// Provider is the provider the change acts on: the new one for creates, the
// old one for deletes.
func (c *Change) Provider() string {
	if c.After != nil {
		return c.After.Provider
	}
	return c.Before.Provider
}

// Disruptive reports whether the VM is unavailable during the change.
func (c *Change) Disruptive() bool {
	switch c.Action {
	case Replace:
		return !c.CreateBeforeDestroy
	case Update:
		return c.Restart || (c.Before.Power == driver.PowerRunning && c.After.Power == driver.PowerStopped)
	case Migrate:
		return !c.Live
	case Stop, Delete:
		return true
	}
	return false
}

// Plan is the result of a diff: changes, their order, and what they were
// planned against.
type Plan struct {
	FormatVersion int `json:"format_version"`
	// Lineage is the state lineage; for a workspace without state, the
	// lineage its first apply will create.
	Lineage     string `json:"lineage"`
	StateSerial uint64 `json:"state_serial"`
	StateExists bool   `json:"state_exists"`
	// SpecDigest and Variables pin the spec the plan was made from.
	SpecDigest string              `json:"spec_digest"`
	Variables  map[string]Variable `json:"variables,omitempty"`
	// InventoryFingerprint covers the live VMs and hosts the plan was
	// made from.
	InventoryFingerprint Fingerprint `json:"inventory_fingerprint"`
	Destroy              bool        `json:"destroy,omitempty"`
	Targets              []string    `json:"targets,omitempty"`
	Changes              []*Change   `json:"changes"`
	// FleetDeps maps a fleet address to the fleets it depends on.
	FleetDeps map[string][]string `json:"fleet_deps,omitempty"`
	// Warnings are non-fatal notes to show with the plan.
	Warnings []string `json:"warnings,omitempty"`
	// Cost sums the changes' Cost; nil when no change has one.
	Cost *PlanCost `json:"cost,omitempty"`
}

// Variable is a variable value a plan was made with. Sensitive values are
// never saved: only a salted digest, checked when the plan is applied.
type Variable struct {
	Type            []byte `json:"type,omitempty"`  // cty JSON type
	Value           []byte `json:"value,omitempty"` // cty JSON value
	SensitiveDigest string `json:"sensitive_digest,omitempty"`
}

// Summary counts the changes per action: every action up to adopt, and
// move and forget when the plan has some. A moved VM counts once under
// move: by its move, or, when it has none (it was moved to an address the
// spec does not declare, and is deleted there), by its other change.
func (p *Plan) Summary() map[Action]int {
	s := make(map[Action]int, len(Actions))
	for _, a := range summaryAlways {
		s[a] = 0
	}
	movedOnly := false
	for _, c := range p.Changes {
		s[c.Action]++
		movedOnly = movedOnly || (c.PreviousAddress != "" && c.Action != Move)
	}
	if n := p.movesWithout(movedOnly); n > 0 {
		s[Move] += n
	}
	return s
}

// movesWithout counts the moved VMs that have no move change (none
// unless any).
func (p *Plan) movesWithout(any bool) int {
	if !any {
		return 0
	}
	moved := map[string]bool{}
	for _, c := range p.Changes {
		if c.Action == Move {
			moved[c.Address] = true
		}
	}
	n := 0
	for _, c := range p.Changes {
		if c.PreviousAddress != "" && c.Action != Move && !moved[c.Address] {
			moved[c.Address] = true
			n++
		}
	}
	return n
}

// Empty reports whether the plan changes nothing.
func (p *Plan) Empty() bool { return len(p.Changes) == 0 }
