package estate

import "time"

// Options configure an estate.
type Options struct {
	// APIWorkspace names the workspace (a spec folder under the root)
	// whose VMs the API may create and delete; "" allows none.
	APIWorkspace string
	// LockTimeout bounds how long a run waits for a workspace's lock
	// before it fails; runs on one workspace queue on that lock. Zero is
	// DefaultLockTimeout.
	LockTimeout time.Duration
	// Events, when set, receives every run's progress (server/live), from
	// the runs' goroutines: the events of one run in order, those of runs
	// of different workspaces concurrently. It must not block.
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
	Inventory(vms []VM)            // after each refresh: the whole listing (shared: read it, do not change it)
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

// APISpecFile is the spec file of the API-owned workspace that the server
// writes: a vm block per VM created through the API.
const APISpecFile = "zz-api-vms.nova.hcl"
