package plan

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/state"
)

// Fingerprint is what a saved plan remembers of the inventories it was made
// from: everything the diff looked at, so that a change to any of it makes
// the plan stale. It has three parts, so the staleness error can say which
// changed.
type Fingerprint struct {
	// Managed hashes every live VM the workspace owns (by marker) or
	// records in state, every attribute included.
	Managed string `json:"managed"`
	// Others hashes, per provider key, every other VM: id, name, host,
	// size, power and marker. Name conflicts, imports and placement (what
	// a host has free) depend on them.
	Others map[string]string `json:"others"`
	// Hosts lists, per provider key, every host with its capacity, sorted
	// by name. Placement depends on them.
	Hosts map[string][]HostCapacity `json:"hosts"`
}

// HostCapacity is a host as a fingerprint records it.
type HostCapacity struct {
	Name      string `json:"name"`
	CPU       int    `json:"cpu"`
	MemoryMiB int64  `json:"memory_mib"`
	DiskGiB   int64  `json:"disk_gib,omitempty"`
	Labels    string `json:"labels,omitempty"` // "k=v,…" sorted by key
}

// FingerprintOf computes the fingerprint of the inventories for the
// workspace with this lineage and state.
func FingerprintOf(inventories map[string]driver.Inventory, lineage string, st *state.State) Fingerprint {
	var inState map[state.Ref]bool // built when a VM the workspace does not own needs it
	recorded := func(pk, id string) bool {
		if inState == nil && st != nil {
			inState = make(map[state.Ref]bool, len(st.VMs))
			for _, rec := range st.VMs {
				inState[state.Ref{Provider: rec.Provider, ID: rec.ID}] = true
			}
		}
		return inState[state.Ref{Provider: pk, ID: id}]
	}
	fp := Fingerprint{Others: map[string]string{}, Hosts: map[string][]HostCapacity{}}
	managed := newVMHash()
	for _, pk := range slices.Sorted(maps.Keys(inventories)) {
		inv := inventories[pk]
		others := newVMHash()
		var vm driver.VM
		var m driver.Marker
		for _, i := range sortedByID(inv) {
			inv.Fill(i, &vm, &m)
			if owned(&vm, pk, lineage, st) || recorded(pk, vm.ID) {
				managed.add(pk, &vm, true)
			} else {
				others.add(pk, &vm, false)
			}
		}
		fp.Others[pk] = others.sum()
		fp.Hosts[pk] = hostCapacities(inv.Hosts)
	}
	fp.Managed = managed.sum()
	return fp
}

// sortedByID returns the positions of inv's VMs in id order.
func sortedByID(inv driver.Inventory) []int {
	out := make([]int, inv.Len())
	for i := range out {
		out[i] = i
	}
	byID := func(a, b int) int { return cmp.Compare(inv.ID(a), inv.ID(b)) }
	if !slices.IsSortedFunc(out, byID) { // drivers often list in id order
		slices.SortFunc(out, byID)
	}
	return out
}

func hostCapacities(hosts []driver.Host) []HostCapacity {
	out := make([]HostCapacity, len(hosts))
	for i, h := range hosts {
		out[i] = HostCapacity{Name: h.Name, CPU: h.CPU, MemoryMiB: h.MemoryMiB, DiskGiB: h.DiskGiB, Labels: labelList(h.Labels)}
	}
	slices.SortFunc(out, func(a, b HostCapacity) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// vmHash hashes VMs field by field, each field length-prefixed so that no
// two different VMs write the same bytes.
type vmHash struct {
	h    hash.Hash
	buf  []byte
	keys []string
}

func newVMHash() *vmHash { return &vmHash{h: sha256.New(), buf: make([]byte, 0, 512)} }

// add writes a VM: with all its attributes when it is managed, or with
// what name checks and placement look at when it is not.
func (v *vmHash) add(pk string, vm *driver.VM, all bool) {
	b := v.buf[:0]
	b = appendField(b, pk)
	b = appendField(b, vm.ID)
	b = appendField(b, vm.Name)
	b = appendField(b, vm.Host)
	b = strconv.AppendInt(b, int64(vm.CPU), 10)
	b = append(b, '|')
	b = strconv.AppendInt(b, vm.MemoryMiB, 10)
	b = append(b, '|')
	b = appendField(b, string(vm.Power))
	if all {
		b = strconv.AppendInt(b, int64(vm.DiskGB), 10)
		b = append(b, '|')
		b = appendField(b, vm.Template)
		v.keys = v.keys[:0]
		for k := range vm.Tags {
			v.keys = append(v.keys, k)
		}
		slices.Sort(v.keys)
		for _, k := range v.keys {
			b = appendField(b, k)
			b = appendField(b, vm.Tags[k])
		}
	}
	if m := vm.Marker; m != nil {
		b = append(b, 'M')
		b = appendField(b, m.Address)
		b = appendField(b, m.Lineage)
		b = appendField(b, m.SpecHash)
	}
	b = append(b, '\n')
	v.h.Write(b)
	v.buf = b
}

func appendField(b []byte, s string) []byte {
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, ':')
	return append(b, s...)
}

func (v *vmHash) sum() string { return hex.EncodeToString(v.h.Sum(nil)) }

// labelList renders host labels as "k=v,…", sorted by key.
func labelList(labels map[string]string) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		parts = append(parts, k+"="+labels[k])
	}
	return strings.Join(parts, ",")
}
