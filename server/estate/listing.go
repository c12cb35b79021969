package estate

import (
	"context"
	"fmt"
	"strings"
)

// The limits of a listing's page.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// listing is every workspace's last inventory, indexed for VMs: it is
// built once per inventory read and never changed, so listing reads
// memory without locks and allocates only the page it returns.
type listing struct {
	all    []VM     // by workspace, then as each workspace's rows sort
	fleets []string // fleet address of all[i]; "" for an unmanaged VM
	byID   map[string]int
	// index holds, per filter (dimension and value), the positions in
	// all of the VMs it selects, ascending.
	index map[filterKey][]int32
}

type filterKey struct{ dim, value string }

// The dimensions of a filter.
const (
	dimAll       = "all" // every VM
	dimWorkspace = "workspace"
	dimProvider  = "provider"
	dimHost      = "host"
	dimStatus    = "status"
	dimFleet     = "fleet"
)

// relist rebuilds the listing from every workspace's last read, and tells
// the Observer. One rebuild at a time, so that the last one stored saw
// every read before it.
func (e *Estate) relist() {
	e.relistMu.Lock()
	defer e.relistMu.Unlock()
	l := &listing{byID: map[string]int{}, index: map[filterKey][]int32{}}
	for _, name := range e.names {
		if inv := e.spaces[name].cached(); inv != nil {
			for _, vm := range inv.rows {
				l.add(vm)
			}
		}
	}
	e.list.Store(l)
	if e.o.Observer != nil {
		e.o.Observer.Inventory(l.all)
	}
}

func (l *listing) add(vm VM) {
	i := int32(len(l.all))
	fleet := ""
	if vm.Address != "" {
		fleet = fleetOf(vm.Address)
	}
	l.all = append(l.all, vm)
	l.fleets = append(l.fleets, fleet)
	l.byID[vm.ID] = int(i)
	for _, k := range []filterKey{{dimAll, ""}, {dimWorkspace, vm.Workspace}, {dimProvider, vm.Provider}, {dimHost, vm.Host}, {dimStatus, vm.Power}, {dimFleet, fleet}} {
		l.index[k] = append(l.index[k], i)
	}
}

// VMs lists the VMs that match f, from the last inventory read, and how
// many match in all. Limit defaults to DefaultLimit and is at most
// MaxLimit; a status other than running or stopped, or a negative limit
// or offset, is an *InvalidError. Fleet is an address (fleet.web,
// vm.db-01) or a fleet's name (web).
func (e *Estate) VMs(ctx context.Context, f Filter) ([]VM, int, error) {
	switch {
	case f.Status != "" && f.Status != "running" && f.Status != "stopped":
		return nil, 0, &InvalidError{Message: fmt.Sprintf("status must be running or stopped, not %q", f.Status)}
	case f.Limit < 0 || f.Offset < 0:
		return nil, 0, &InvalidError{Message: "limit and offset cannot be negative"}
	case f.Limit == 0:
		f.Limit = DefaultLimit
	case f.Limit > MaxLimit:
		f.Limit = MaxLimit
	}
	l := e.list.Load()
	if f.Fleet != "" && !isAddress(f.Fleet) {
		return l.page(f, fleetFilter("fleet."+f.Fleet), fleetFilter("vm."+f.Fleet))
	}
	return l.page(f, fleetFilter(f.Fleet))
}

// fleetFilter is the fleet dimension's value.
type fleetFilter string

func isAddress(s string) bool { return strings.Contains(s, ".") }

// page returns the page f asks for and how many VMs match in all; a VM
// matches one of fleets (or any fleet when the one given is "").
func (l *listing) page(f Filter, fleets ...fleetFilter) ([]VM, int, error) {
	var out []VM
	add := func(i int32) {
		if out == nil {
			out = make([]VM, 0, f.Limit)
		}
		out = append(out, l.all[i])
	}
	total := 0
	for _, fl := range fleets {
		cands, exact := l.candidates(f, string(fl))
		if exact { // the index is the answer: count it, copy the page
			for _, i := range cands[min(max(f.Offset-total, 0), len(cands)):] {
				if len(out) == f.Limit {
					break
				}
				add(i)
			}
			total += len(cands)
			continue
		}
		for _, i := range cands {
			if !l.matches(int(i), f, string(fl)) {
				continue
			}
			if total >= f.Offset && len(out) < f.Limit {
				add(i)
			}
			total++
		}
	}
	if out == nil {
		out = []VM{}
	}
	return out, total, nil
}

// candidates returns the shortest index list among the filter's
// dimensions, or every position when it filters on nothing; exact when
// the filter has one dimension at most, so the list is the answer.
func (l *listing) candidates(f Filter, fleet string) ([]int32, bool) {
	best, dims := l.index[filterKey{dim: dimAll}], 0
	for _, k := range []filterKey{{dimWorkspace, f.Workspace}, {dimProvider, f.Provider}, {dimHost, f.Host}, {dimStatus, f.Status}, {dimFleet, fleet}} {
		if k.value == "" {
			continue
		}
		if idx := l.index[k]; dims == 0 || len(idx) < len(best) {
			best = idx
		}
		dims++
	}
	return best, dims <= 1
}

func (l *listing) matches(i int, f Filter, fleet string) bool {
	vm := &l.all[i]
	return (f.Workspace == "" || vm.Workspace == f.Workspace) && (f.Provider == "" || vm.Provider == f.Provider) &&
		(f.Host == "" || vm.Host == f.Host) && (f.Status == "" || vm.Power == f.Status) && (fleet == "" || l.fleets[i] == fleet)
}

// GetVM returns one VM by its API id, or ErrNotFound.
func (e *Estate) GetVM(ctx context.Context, id string) (*VM, error) {
	l := e.list.Load()
	i, ok := l.byID[id]
	if !ok {
		return nil, fmt.Errorf("VM %q: %w", id, ErrNotFound)
	}
	vm := l.all[i]
	return &vm, nil
}
