package estate

import (
	"context"
	"errors"
	"time"
)

// Options configure an estate.
type Options struct {
	// APIWorkspace names the workspace (a spec folder under the root)
	// whose VMs the API may create and delete; "" allows none.
	APIWorkspace string
	// LockTimeout bounds how long a run waits for a workspace's lock
	// before it fails; runs on one workspace queue on that lock.
	LockTimeout time.Duration
	// Events, when set, receives every run's progress (server/live).
	Events func(Event)
	// Observer, when set, is told of inventory reads and finished runs
	// (server/metrics).
	Observer Observer
}

// Event is a run's progress, as /ws/status streams it.
type Event struct {
	Type      string    `json:"type"` // run_started, change_started, change_retrying, change_succeeded, change_failed, change_skipped, run_finished
	Time      time.Time `json:"time"`
	RunID     string    `json:"run_id"`
	Workspace string    `json:"workspace"`
	Address   string    `json:"address,omitempty"`
	Action    string    `json:"action,omitempty"`
	Error     string    `json:"error,omitempty"` // redacted
	Done      int       `json:"done"`
	Total     int       `json:"total"`
	Status    RunStatus `json:"status,omitempty"` // on run_started and run_finished
}

// Observer is told what the estate did, for metrics.
type Observer interface {
	InventoryRead(provider string, d time.Duration, err error)
	RunFinished(r *Run, d time.Duration)
	ChangeFinished(action, outcome string)
	Inventory(vms []VM)            // after each refresh: the whole listing
	Drift(workspace string, n int) // drifted VMs found by a refresh
}

// PlanRequest asks for a plan of a workspace.
type PlanRequest struct {
	Destroy bool              `json:"destroy"`
	Targets []string          `json:"targets"`
	Vars    map[string]string `json:"vars"`
	// Files, when set, are the spec to plan instead of the workspace's
	// own folder: file name → content (*.nova.hcl, no paths).
	Files map[string]string `json:"files"`
}

// VMRequest asks the API-owned workspace for a VM.
type VMRequest struct {
	Name     string            `json:"name"`
	Provider string            `json:"provider"` // sim.lab
	Template string            `json:"template"`
	CPU      int               `json:"cpu"`
	MemoryGB float64           `json:"memory_gb"`
	DiskGB   int               `json:"disk_gb"`
	Host     string            `json:"host,omitempty"`
	Power    string            `json:"power,omitempty"`
	Tags     map[string]string `json:"tags,omitempty"`
}

// ActionRequest asks for a power action or a migration of one VM.
type ActionRequest struct {
	Action     string `json:"-"`           // start, stop, restart, migrate
	TargetHost string `json:"target_host"` // migrate
	Live       bool   `json:"live"`        // migrate
}

var errTODO = errors.New("not implemented yet")

// Estate is the served folder of workspaces.
type Estate struct {
	root string
	o    Options
}

// Open reads the workspaces under root: root itself when it holds spec
// files, and each folder directly under it that does.
func Open(ctx context.Context, root string, o Options) (*Estate, error) {
	return &Estate{root: root, o: o}, errTODO
}

// Close waits for the runs in flight and closes the workspaces.
func (e *Estate) Close() error { return nil }

// Workspaces lists the workspaces, by name.
func (e *Estate) Workspaces(ctx context.Context) ([]WorkspaceInfo, error) { return nil, errTODO }

// Workspace returns one workspace, or ErrNotFound.
func (e *Estate) Workspace(ctx context.Context, name string) (*WorkspaceInfo, error) {
	return nil, errTODO
}

// VMs lists the VMs that match f, from the last inventory read, and how
// many match in all.
func (e *Estate) VMs(ctx context.Context, f Filter) ([]VM, int, error) { return nil, 0, errTODO }

// GetVM returns one VM by its API id, or ErrNotFound.
func (e *Estate) GetVM(ctx context.Context, id string) (*VM, error) { return nil, errTODO }

// Refresh reads the inventory of a workspace ("" for all) again.
func (e *Estate) Refresh(ctx context.Context, workspace string) error { return errTODO }

// Plan plans a workspace and keeps the plan for Apply.
func (e *Estate) Plan(ctx context.Context, workspace, who string, r PlanRequest) (*SavedPlan, error) {
	return nil, errTODO
}

// GetPlan returns a kept plan, or ErrNotFound.
func (e *Estate) GetPlan(ctx context.Context, workspace, id string) (*SavedPlan, error) {
	return nil, errTODO
}

// Apply starts applying a kept plan whose digest is digest; the run goes
// on after ctx ends. A digest that does not match, or a stale plan, is a
// *ConflictError.
func (e *Estate) Apply(ctx context.Context, workspace, planID, digest, who string) (*Run, error) {
	return nil, errTODO
}

// CreateVM adds a VM to the API-owned workspace and starts the run that
// makes it.
func (e *Estate) CreateVM(ctx context.Context, who string, r VMRequest) (*Run, error) {
	return nil, errTODO
}

// DeleteVM removes a VM of the API-owned workspace and starts the run that
// deletes it; a VM a spec owns is a *ConflictError naming the spec.
func (e *Estate) DeleteVM(ctx context.Context, who, id string) (*Run, error) { return nil, errTODO }

// Act starts a power action or a migration of one VM. A VM a spec owns
// is a *ConflictError naming the spec, unless the spec allows the action.
func (e *Estate) Act(ctx context.Context, who, id string, r ActionRequest) (*Run, error) {
	return nil, errTODO
}

// GetRun returns a run, or ErrNotFound; with wait > 0 it waits up to wait
// for the run to finish first.
func (e *Estate) GetRun(ctx context.Context, id string, wait time.Duration) (*Run, error) {
	return nil, errTODO
}

// Runs lists the runs of a workspace ("" for all), newest first.
func (e *Estate) Runs(ctx context.Context, workspace string) ([]Run, error) { return nil, errTODO }

// History returns a workspace's audit history, newest first, at most limit.
func (e *Estate) History(ctx context.Context, workspace string, limit int) ([]HistoryRecord, error) {
	return nil, errTODO
}

// HistoryRecord is a record of a workspace's audit history.
type HistoryRecord struct {
	Kind       string    `json:"kind"`
	Time       time.Time `json:"time"`
	RunID      string    `json:"run_id"`
	Who        string    `json:"who,omitempty"`
	Operation  string    `json:"operation,omitempty"`
	PlanDigest string    `json:"plan_digest,omitempty"`
	Address    string    `json:"address,omitempty"`
	Action     string    `json:"action,omitempty"`
	Outcome    string    `json:"outcome,omitempty"`
	Error      string    `json:"error,omitempty"`
}
