package plan

import (
	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/place"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// Input is everything a diff looks at.
type Input struct {
	Spec *spec.Spec
	// State is the workspace's state; nil when it has none yet.
	State *state.State
	// Lineage is used when State is nil: it becomes the new state's.
	Lineage string
	// Inventories and Capabilities hold, per provider key, the bulk read
	// of every provider the spec or the state names.
	Inventories  map[string]driver.Inventory
	Capabilities map[string]driver.Capabilities
	Placer       place.Placer // nil: place.BestFit
	Destroy      bool
	Targets      []string // addresses: fleet.web, fleet.web[2], vm.db-01
	Replace      []string // instance addresses to replace
	// Imports are the VMs to import (the spec's import blocks, or the one
	// of `nova-plan import`).
	Imports []*spec.Import
	// ForceImport takes over VMs that carry another workspace's marker.
	ForceImport bool
	// CanonicalIDs holds, per provider key, the driver's spelling of a VM
	// id (driver.CanonicalID), false for text that is no id of its VMs.
	// Ids the plan did not get from an inventory (the state's, an
	// import's) are checked with it; a provider without one takes ids as
	// driver.CheckID does.
	CanonicalIDs map[string]func(id string) (string, bool)
	// Prices holds, per provider key, the driver's prices (driver.Pricer),
	// for sizing = "cheapest" and each change's cost; nil: none.
	Prices map[string]driver.Pricer
}

// owned reports whether a VM carries this workspace's marker and was not
// abandoned with `state rm`.
func owned(vm *driver.VM, provider, lineage string, st *state.State) bool {
	return vm.Marker != nil && vm.Marker.Lineage == lineage && lineage != "" &&
		(st == nil || !st.IsAbandoned(provider, vm.ID))
}
