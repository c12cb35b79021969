package xen

import (
	"maps"
	"slices"
	"strings"

	"github.com/novacron/novacron/engine/driver"
)

// The XenAPI records the driver reads: only the fields it uses.

const nullRef = "OpaqueRef:NULL"

const (
	mib = int64(1) << 20
	gib = int64(1) << 30
)

type vmRecord struct {
	UUID            string            `json:"uuid"`
	NameLabel       string            `json:"name_label"`
	PowerState      string            `json:"power_state"`
	IsATemplate     bool              `json:"is_a_template"`
	IsASnapshot     bool              `json:"is_a_snapshot"`
	IsControlDomain bool              `json:"is_control_domain"`
	ResidentOn      string            `json:"resident_on"`
	Affinity        string            `json:"affinity"`
	VCPUsMax        xint              `json:"VCPUs_max"`
	VCPUsAtStartup  xint              `json:"VCPUs_at_startup"`
	MemoryStaticMax xint              `json:"memory_static_max"`
	MemoryStaticMin xint              `json:"memory_static_min"`
	MemoryDynMax    xint              `json:"memory_dynamic_max"`
	MemoryDynMin    xint              `json:"memory_dynamic_min"`
	OtherConfig     map[string]string `json:"other_config"`
	VBDs            []string          `json:"VBDs"`
	VIFs            []string          `json:"VIFs"`
}

// isVM reports a record that is a VM of its own: not a template, snapshot
// or control domain.
func (r *vmRecord) isVM() bool { return !r.IsATemplate && !r.IsASnapshot && !r.IsControlDomain }

// halfMade reports a clone whose Create did not finish (keyCreating is
// still set): it carries its marker, and may still be a template.
func (r *vmRecord) halfMade() bool {
	return r.OtherConfig[keyCreating] != "" && markerOf(r.OtherConfig) != nil && !r.IsASnapshot && !r.IsControlDomain
}

// listed reports a record Inventory lists and the VM calls act on: a VM,
// or a half-made one (which a plan replaces).
func (r *vmRecord) listed() bool { return r.isVM() || r.halfMade() }

func (r *vmRecord) running() bool { return r.PowerState == "Running" || r.PowerState == "Paused" }

// hostRef is where the VM runs, or where it will start (its affinity).
func (r *vmRecord) hostRef() string {
	if r.running() {
		return r.ResidentOn
	}
	return r.Affinity
}

type hostRecord struct {
	UUID      string            `json:"uuid"`
	NameLabel string            `json:"name_label"`
	Enabled   bool              `json:"enabled"`
	Metrics   string            `json:"metrics"`
	CPUInfo   map[string]string `json:"cpu_info"`
}

type hostMetricsRecord struct {
	MemoryTotal xint `json:"memory_total"`
	MemoryFree  xint `json:"memory_free"`
}

type poolRecord struct {
	UUID      string `json:"uuid"`
	NameLabel string `json:"name_label"`
	Master    string `json:"master"`
}

// namedRecord is an SR or network: what the settings name.
type namedRecord struct {
	UUID        string `json:"uuid"`
	NameLabel   string `json:"name_label"`
	ContentType string `json:"content_type"`
}

type vbdRecord struct {
	VM         string `json:"VM"`
	VDI        string `json:"VDI"`
	Type       string `json:"type"`
	Userdevice string `json:"userdevice"`
}

type vdiRecord struct {
	UUID        string   `json:"uuid"`
	VirtualSize xint     `json:"virtual_size"`
	ReadOnly    bool     `json:"read_only"`
	VBDs        []string `json:"VBDs"`
}

type taskRecord struct {
	Status    string   `json:"status"`
	Result    string   `json:"result"`
	ErrorInfo []string `json:"error_info"`
}

// The other_config keys NovaCron writes: the marker's (driver.TagAddress,
// …), the template's ID, and one per user tag.
const (
	keyTemplate = "novacron:template"
	keyTagPfx   = "novacron:tag:"
)

// keyCreating is set with the marker when Create clones the template and
// removed as its last step. A VM that still has it was left half-made by
// a run that stopped (kill -9, a lost server): Inventory reports its
// template as unfinishedPrefix + the template's ID, which no spec's
// template matches, so the plan replaces it rather than adopting a VM
// that may lack its size, disk or interface. Updates leave it alone (it
// is not isOurs).
const (
	keyCreating      = "novacron:creating"
	unfinishedPrefix = "(create interrupted) "
)

// userTags are the user tags an other_config holds.
func userTags(oc map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range oc {
		if t, ok := strings.CutPrefix(k, keyTagPfx); ok {
			out[t] = v
		}
	}
	return out
}

// markerOf is the marker an other_config holds, or nil.
func markerOf(oc map[string]string) *driver.Marker {
	m, _ := driver.MarkerFromTags(oc)
	return m
}

// ours is the part of other_config NovaCron writes: the marker (when set),
// template and user tags.
func ours(m *driver.Marker, template string, tags map[string]string) map[string]string {
	out := map[string]string{}
	if m != nil && *m != (driver.Marker{}) {
		maps.Copy(out, m.Tags())
	}
	if template != "" {
		out[keyTemplate] = template
	}
	for k, v := range tags {
		out[keyTagPfx+k] = v
	}
	return out
}

// isOurs reports an other_config key NovaCron writes.
func isOurs(k string) bool {
	return k == driver.TagAddress || k == driver.TagLineage || k == driver.TagSpecHash || k == keyTemplate || strings.HasPrefix(k, keyTagPfx)
}

// withOurs is oc with NovaCron's keys replaced by want.
func withOurs(oc, want map[string]string) map[string]string {
	out := maps.Clone(want)
	for k, v := range oc {
		if !isOurs(k) {
			out[k] = v
		}
	}
	return out
}

// disk is one of a VM's VBDs with its VDI.
type disk struct {
	vbdRef, vdiRef string
	vbd            vbdRecord
	vdi            vdiRecord
}

// firstDisk is the VM's disk of the lowest userdevice: the one disk_gb is.
func firstDisk(disks []disk) (disk, bool) {
	var ds []disk
	for _, d := range disks {
		if d.vbd.Type == "Disk" && d.vdiRef != nullRef {
			ds = append(ds, d)
		}
	}
	if len(ds) == 0 {
		return disk{}, false
	}
	slices.SortFunc(ds, func(a, b disk) int { return strings.Compare(a.vbd.Userdevice, b.vbd.Userdevice) })
	return ds[0], true
}

// vmOf makes a driver.VM of a record, its first disk and host names.
func vmOf(r *vmRecord, d disk, hasDisk bool, hostNames map[string]string) driver.VM {
	power := driver.PowerStopped
	if r.running() {
		power = driver.PowerRunning
	}
	vm := driver.VM{
		ID: r.UUID, Name: r.NameLabel, Host: hostNames[r.hostRef()],
		CPU: int(r.VCPUsAtStartup), MemoryMiB: int64(r.MemoryDynMax) / mib,
		MaxCPU: int(r.VCPUsMax), MaxMemoryMiB: int64(r.MemoryStaticMax) / mib,
		Power: power, Template: r.OtherConfig[keyTemplate],
		Tags: userTags(r.OtherConfig), Marker: markerOf(r.OtherConfig),
	}
	if r.halfMade() {
		vm.Template = unfinishedPrefix + vm.Template
	}
	if hasDisk {
		vm.DiskGB = int(int64(d.vdi.VirtualSize) / gib)
	}
	return vm
}
