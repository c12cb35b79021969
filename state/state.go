package state

import (
	"maps"
	"slices"
)

// FormatVersion is the version of the state document this code writes.
const FormatVersion = 1

// State is one workspace's document.
type State struct {
	FormatVersion int `json:"format_version"`
	// Lineage identifies a workspace for its whole life; it is written into
	// the marker of every VM the workspace creates.
	Lineage string `json:"lineage"`
	// Serial grows by one each time the document is written.
	Serial uint64         `json:"serial"`
	VMs    map[string]*VM `json:"vms"`
	// Abandoned lists VMs removed with `state rm`: they keep their marker
	// but are no longer managed and are never adopted again.
	Abandoned []Ref `json:"abandoned,omitempty"`
}

// VM is one managed VM, keyed by its address in State.VMs.
type VM struct {
	Provider  string            `json:"provider"` // "sim.lab": TYPE.NAME
	ID        string            `json:"id"`
	Fleet     string            `json:"fleet"` // "fleet.web" or "vm.db-01"
	Name      string            `json:"name"`
	Host      string            `json:"host,omitempty"`
	CPU       int               `json:"cpu"`
	MemoryMiB int64             `json:"memory_mib"`
	DiskGB    int               `json:"disk_gb"`
	Power     string            `json:"power"`
	Template  string            `json:"template,omitempty"` // driver.TemplateRef.ID
	Tags      map[string]string `json:"tags,omitempty"`
	SpecHash  string            `json:"spec_hash,omitempty"`
	// DependsOn lists the fleet addresses this VM's fleet depended on when
	// last applied, so deletes run in reverse order even after the spec
	// no longer names the fleet.
	DependsOn []string `json:"depends_on,omitempty"`
}

// Ref names a VM by provider and id.
type Ref struct {
	Provider string `json:"provider"`
	ID       string `json:"id"`
}

// New returns an empty state of the current format with the given lineage.
func New(lineage string) *State {
	return &State{FormatVersion: FormatVersion, Lineage: lineage, VMs: map[string]*VM{}}
}

// Reserve makes room for n more VMs, when they are at least as many as
// the state has: an apply of 100,000 creates then inserts into a map made
// for them, instead of one grown by doubling (under the writer's lock).
// Fewer are not worth copying the map for.
func (s *State) Reserve(n int) {
	if n <= 0 || n < len(s.VMs) {
		return
	}
	m := make(map[string]*VM, len(s.VMs)+n)
	maps.Copy(m, s.VMs)
	s.VMs = m
}

// Clone returns a deep copy.
func (s *State) Clone() *State {
	c := *s
	c.VMs = make(map[string]*VM, len(s.VMs))
	for a, vm := range s.VMs {
		c.VMs[a] = vm.Clone()
	}
	c.Abandoned = slices.Clone(s.Abandoned)
	return &c
}

// Addresses returns the managed addresses, sorted, in a slice allocated
// once (slices.Sorted would grow it from nothing: four times the memory at
// 100,000 VMs).
func (s *State) Addresses() []string {
	out := make([]string, 0, len(s.VMs))
	for a := range s.VMs {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

// IsAbandoned reports whether a VM was removed from management.
func (s *State) IsAbandoned(provider, id string) bool {
	return slices.Contains(s.Abandoned, Ref{Provider: provider, ID: id})
}

// Clone returns a deep copy.
func (v *VM) Clone() *VM {
	c := *v
	c.Tags = maps.Clone(v.Tags)
	c.DependsOn = slices.Clone(v.DependsOn)
	return &c
}
