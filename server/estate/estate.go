package estate

import (
	"time"

	"github.com/novacron/novacron/engine/jsonformat"
)

// WorkspaceInfo describes one workspace of the estate.
type WorkspaceInfo struct {
	Name string `json:"name"` // the spec folder's name under the root
	Dir  string `json:"-"`
	// APIOwned is set on the workspace whose VMs the API creates
	// (POST /api/v1/vms): its desired VMs are kept in the spec file
	// APISpecFile, which the server writes.
	APIOwned  bool      `json:"api_owned"`
	Lineage   string    `json:"lineage,omitempty"`
	Serial    uint64    `json:"serial"`
	VMs       int       `json:"vms"`
	Fleets    []Fleet   `json:"fleets"`
	Refreshed time.Time `json:"refreshed"` // when its inventory was last read
	// APISpecFile is the file the server writes, on the API-owned
	// workspace only.
	APISpecFile string `json:"api_spec_file,omitempty"`
	// Error is why the last inventory read failed; "" when it succeeded.
	Error string `json:"error,omitempty"`
}

// Fleet is a fleet (or vm block) of a workspace's spec.
type Fleet struct {
	Address  string `json:"address"`  // fleet.web, vm.db-01
	Provider string `json:"provider"` // sim.lab
	Count    int    `json:"count"`
	File     string `json:"file"` // where it is declared: main.nova.hcl:40
}

// VM is one VM as the API lists it: a row of a workspace's inventory.
type VM struct {
	// ID identifies the VM in the API: "WORKSPACE:ADDRESS" for a managed
	// VM, "WORKSPACE:PROVIDER/DRIVER-ID" for one no spec owns.
	ID        string `json:"id"`
	Workspace string `json:"workspace"`
	jsonformat.InventoryVM
	// ManagedBy names the spec that owns the VM ("main.nova.hcl:40"), or
	// "api" for a VM the API created, "" for an unmanaged one.
	ManagedBy string `json:"managed_by"`
}

// Filter selects VMs to list.
type Filter struct {
	Workspace, Provider, Host, Status, Fleet string
	Limit, Offset                            int
}

// RunStatus is where a run is.
type RunStatus string

// The run statuses.
const (
	RunQueued    RunStatus = "queued" // waiting for the workspace's lock
	RunRunning   RunStatus = "running"
	RunSucceeded RunStatus = "succeeded"
	RunFailed    RunStatus = "failed"
)

// Run is one mutating operation: an apply of a plan, or a VM action
// (which is planned and applied the same way).
type Run struct {
	ID         string           `json:"id"`
	Workspace  string           `json:"workspace"`
	Who        string           `json:"who"`
	Operation  string           `json:"operation"` // apply, destroy, create, start, stop, restart, migrate
	PlanID     string           `json:"plan_id,omitempty"`
	PlanDigest string           `json:"plan_digest,omitempty"`
	Status     RunStatus        `json:"status"`
	Started    time.Time        `json:"started"`
	Finished   *time.Time       `json:"finished,omitempty"`
	Summary    map[string]int   `json:"summary"` // done changes by action
	Failed     []FailedChange   `json:"failed"`
	Error      string           `json:"error,omitempty"`
	Plan       *jsonformat.Plan `json:"plan,omitempty"`
}

// FailedChange is a change of a run that failed, with why.
type FailedChange struct {
	Address string `json:"address"`
	Action  string `json:"action"`
	Error   string `json:"error"`
}

// SavedPlan is a plan made through the API, kept until it is applied or
// expires: applying it needs its digest, and refuses it when it is stale.
type SavedPlan struct {
	ID        string          `json:"id"`
	Workspace string          `json:"workspace"`
	Who       string          `json:"who"`
	Digest    string          `json:"digest"`
	Created   time.Time       `json:"created"`
	Expires   time.Time       `json:"expires"`
	Plan      jsonformat.Plan `json:"plan"`
	// Graph is the plan's graph: each change's dependencies, by index.
	Graph [][]int `json:"graph"`
}
