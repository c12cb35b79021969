package rebalance

import (
	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/place"
)

// Mode is what a rebalance aims at.
type Mode string

// The modes.
const (
	// Hot clears hosts above the threshold.
	Hot Mode = "hot"
	// Consolidate empties hosts so they can be powered off.
	Consolidate Mode = "consolidate"
)

// VM is one VM as rebalance sees it.
type VM struct {
	Address   string // its address in state: fleet.web[0]
	Host      string
	CPU       int   // allocated vCPUs
	MemoryMiB int64 // allocated memory
	// UseCPU is the cores it uses, UseMemoryMiB the memory it uses (the
	// measured or forecast load).
	UseCPU       float64
	UseMemoryMiB float64
	// Pinned: the spec pins its host; it is never moved.
	Pinned bool
	// PreferSpread: its fleet's placement has prefer = "spread";
	// consolidation does not move it (packing would undo the spread), so a
	// host holding one is not emptied. Hot mode moves it as any other.
	PreferSpread bool
	// Spread is its spread group (the fleet's address when the fleet has
	// placement { spread_by = "host" }); no two VMs of one group share a
	// host, so a move never lands it next to another of its group.
	Spread string
	// Rules are its fleet's other placement rules, as engine/place reads
	// them (Group, DiskGiB, Labels, Avoid, SpreadBy); a target must
	// satisfy them as a new VM's host would. CPU and MemoryMiB come from
	// the fields above.
	Rules place.VM
}

// placed is vm as engine/place allocates and checks it.
func (vm *VM) placed() place.VM {
	p := vm.Rules
	p.Address, p.CPU, p.MemoryMiB, p.Pin = vm.Address, vm.CPU, vm.MemoryMiB, ""
	return p
}

// Input is one rebalance problem.
type Input struct {
	Hosts []driver.Host
	VMs   []VM
	Mode  Mode
	// Threshold is the hot line, in percent of a host's capacity (80).
	Threshold float64
	// MaxMoves caps the moves of one plan.
	MaxMoves int
	// MinRatio is the least gain ÷ disruption a move needs (0.5).
	MinRatio float64
}

// Move is one live migration.
type Move struct {
	Address, From, To string
	// Gain and Disruption are in percentage points (gain.go).
	Gain, Disruption float64
}

// HostLoad is a host's use, in percent of its capacity.
type HostLoad struct {
	Host     string
	CPU, Mem float64
}

// Skip says why a hot host is left hot, or a host is not emptied.
type Skip struct {
	Host, Reason string
}

// Result is what rebalance chose.
type Result struct {
	Moves []Move
	// Bound is the lower bound on moves: in hot mode, the sum over the
	// hosts it clears of each host's minimum-eviction bound; in
	// consolidation, the VMs on the hosts it empties (each must move).
	Bound int
	// Hot are the hosts above the threshold before the moves.
	Hot []HostLoad
	// Emptied are the hosts consolidation empties.
	Emptied []string
	// Skipped are the hosts left as they were, with the reason.
	Skipped []Skip
}
