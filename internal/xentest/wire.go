package xentest

// The records as XenAPI's JSON-RPC sends them: the fields the server
// models, under XenAPI's own field names. ints are JSON numbers.

// Null is XenAPI's null reference.
const Null = "OpaqueRef:NULL"

// VM is a VM record (templates, snapshots and control domains included).
type VM struct {
	UUID            string            `json:"uuid"`
	NameLabel       string            `json:"name_label"`
	NameDescription string            `json:"name_description"`
	PowerState      string            `json:"power_state"`
	IsATemplate     bool              `json:"is_a_template"`
	IsASnapshot     bool              `json:"is_a_snapshot"`
	IsControlDomain bool              `json:"is_control_domain"`
	ResidentOn      string            `json:"resident_on"`
	Affinity        string            `json:"affinity"`
	VCPUsMax        int64             `json:"VCPUs_max"`
	VCPUsAtStartup  int64             `json:"VCPUs_at_startup"`
	MemoryStaticMax int64             `json:"memory_static_max"`
	MemoryStaticMin int64             `json:"memory_static_min"`
	MemoryDynMax    int64             `json:"memory_dynamic_max"`
	MemoryDynMin    int64             `json:"memory_dynamic_min"`
	OtherConfig     map[string]string `json:"other_config"`
	Tags            []string          `json:"tags"`
	VBDs            []string          `json:"VBDs"`
	VIFs            []string          `json:"VIFs"`
}

// Host is a host record.
type Host struct {
	UUID      string            `json:"uuid"`
	NameLabel string            `json:"name_label"`
	Address   string            `json:"address"`
	Enabled   bool              `json:"enabled"`
	Metrics   string            `json:"metrics"`
	CPUInfo   map[string]string `json:"cpu_info"`
}

// HostMetrics is a host_metrics record.
type HostMetrics struct {
	UUID        string `json:"uuid"`
	MemoryTotal int64  `json:"memory_total"`
	MemoryFree  int64  `json:"memory_free"`
	Live        bool   `json:"live"`
}

// Pool is a pool record.
type Pool struct {
	UUID      string `json:"uuid"`
	NameLabel string `json:"name_label"`
	Master    string `json:"master"`
	DefaultSR string `json:"default_SR"`
}

// SR is a storage repository record.
type SR struct {
	UUID        string `json:"uuid"`
	NameLabel   string `json:"name_label"`
	ContentType string `json:"content_type"`
	Shared      bool   `json:"shared"`
	Type        string `json:"type"`
}

// Network is a network record.
type Network struct {
	UUID      string `json:"uuid"`
	NameLabel string `json:"name_label"`
	Bridge    string `json:"bridge"`
}

// VBD is a virtual block device record: a VM's disk or CD drive.
type VBD struct {
	UUID       string `json:"uuid"`
	VM         string `json:"VM"`
	VDI        string `json:"VDI"`
	Type       string `json:"type"` // Disk or CD
	Userdevice string `json:"userdevice"`
	Bootable   bool   `json:"bootable"`
	Mode       string `json:"mode"` // RW or RO
}

// VDI is a virtual disk image record.
type VDI struct {
	UUID        string   `json:"uuid"`
	NameLabel   string   `json:"name_label"`
	SR          string   `json:"SR"`
	VirtualSize int64    `json:"virtual_size"`
	Type        string   `json:"type"` // user, system, …
	Sharable    bool     `json:"sharable"`
	ReadOnly    bool     `json:"read_only"`
	VBDs        []string `json:"VBDs"`
}

// VIF is a virtual network interface record.
type VIF struct {
	UUID    string `json:"uuid"`
	VM      string `json:"VM"`
	Network string `json:"network"`
	Device  string `json:"device"`
	MAC     string `json:"MAC"`
}

// Task is a task record.
type Task struct {
	UUID      string   `json:"uuid"`
	NameLabel string   `json:"name_label"`
	Status    string   `json:"status"` // pending, success, failure, cancelling, cancelled
	Progress  float64  `json:"progress"`
	Result    string   `json:"result"`
	ErrorInfo []string `json:"error_info"`
}
