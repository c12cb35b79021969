package plan

// Drift is what `nova-plan drift` reports: per VM, what changed out of
// band (live ≠ the state, what was last applied), apart from the pending
// changes (the spec ≠ the state), which a plan would also make.
type Drift struct {
	Lineage     string
	StateSerial uint64
	// VMs are the VMs that drifted, by address then kind.
	VMs []*VMDrift
	// Pending are the changes the spec asks of the state, by address.
	Pending []*PendingChange
}

// DriftKind says how a VM drifted.
type DriftKind string

// The kinds of drift.
const (
	// DriftChanged: the live VM's attributes differ from those applied.
	DriftChanged DriftKind = "changed"
	// DriftDeleted: the state records the VM; no live VM has its id.
	DriftDeleted DriftKind = "deleted"
	// DriftUnmanaged: a VM the workspace does not manage has the name of
	// one it manages or the spec wants.
	DriftUnmanaged DriftKind = "unmanaged"
	// DriftUnrecorded: a VM carries this workspace's marker for an
	// address, but the state does not record it.
	DriftUnrecorded DriftKind = "unrecorded"
	// DriftTakenOver: a VM the state records carries another workspace's
	// marker.
	DriftTakenOver DriftKind = "taken_over"
)

// VMDrift is one VM's drift.
type VMDrift struct {
	Address  string
	Fleet    string
	Provider string
	ID       string
	Name     string
	Kind     DriftKind
	// Attrs are the attributes that drifted and no rule ignores (changed).
	Attrs []AttrDiff
	// Ignored are the paths that drifted but a drift ignore rule names.
	Ignored []string
	// Detail says what happened, in a sentence.
	Detail string
}

// AttrDiff is one attribute that differs. Path is an attribute name or
// tags.KEY; Before and After are its values: an int (cpu, disk_gb), a
// float64 (memory_gb), a string, or nil for a tag that is not set.
type AttrDiff struct {
	Path          string
	Before, After any
}

// PendingChange is a change the spec asks of what was last applied.
type PendingChange struct {
	Address string
	// Action is create (the state has no VM there), delete (the spec no
	// longer names it), or update.
	Action Action
	// Attrs are, for an update, the attributes whose applied value (Before)
	// the spec changes (After).
	Attrs []AttrDiff
}

// Drifted reports whether any VM drifted (ignored attributes aside).
func (d *Drift) Drifted() bool { return len(d.VMs) > 0 }
