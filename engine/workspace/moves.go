package workspace

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/engine/operation"
	"github.com/novacron/novacron/state"
)

// MoveActionPrefix begins the action of the history record of a moved VM,
// followed by the address it moved from; the record's address is where
// it moved to.
const MoveActionPrefix = "move from "

// Moves returns the moves of `state mv SRC DST`: one VM (SRC is an
// address the state records) or every VM of a fleet (SRC is a fleet
// address such as fleet.web, and no VM is recorded at it). The error says
// why the move is refused: SRC not in the state, another VM at a
// destination address already, a fleet moved to one instance's address, a
// key on a vm block's address. A fleet moves into a fleet the state
// records when none of its keys is taken there: so the same command
// finishes a move that stopped midway.
func Moves(st *state.State, src, dst string) ([]operation.Move, error) {
	from, err := addrs.ParseInstance(src)
	if err != nil {
		return nil, fmt.Errorf("the source address: %v", err)
	}
	to, err := addrs.ParseInstance(dst)
	if err != nil {
		return nil, fmt.Errorf("the destination address: %v", err)
	}
	switch {
	case from == to:
		return nil, fmt.Errorf("%s is both the source and the destination: there is nothing to move", from)
	case st == nil || len(st.VMs) == 0:
		return nil, fmt.Errorf("the state is empty: there is nothing to move")
	}
	if st.VMs[from.String()] != nil {
		return instanceMove(st, from, to)
	}
	return fleetMove(st, from, to)
}

// instanceMove moves the one VM recorded at from.
func instanceMove(st *state.State, from, to addrs.Instance) ([]operation.Move, error) {
	if st.VMs[to.String()] != nil {
		return nil, fmt.Errorf("the state already records a VM at %s: move or remove it first", to)
	}
	if to.Key() == addrs.NoKey {
		if others := fleetAddresses(st, to.Fleet()); len(others) > 0 {
			return nil, fmt.Errorf("%s is a fleet in the state (%s), so its VMs have keys: give one, such as %s[%d], or move the fleet first", to, listed(others), to, len(others))
		}
	} else if st.VMs[to.Fleet().String()] != nil {
		return nil, fmt.Errorf("the state records a VM at %s, a fleet of one without keys: move it first, such as to %s[0]", to.Fleet(), to.Fleet())
	}
	return []operation.Move{{From: from, To: to}}, nil
}

// fleetMove moves every VM of the fleet from.
func fleetMove(st *state.State, from, to addrs.Instance) ([]operation.Move, error) {
	members := fleetAddresses(st, from.Fleet())
	if from.Key() != addrs.NoKey || len(members) == 0 {
		return nil, fmt.Errorf("the state records no VM at %s: `nova-plan state list` shows what is there", from)
	}
	if to.Key() != addrs.NoKey {
		return nil, fmt.Errorf("%s is a fleet of %d VMs in the state, and %s names one VM: move the fleet to a fleet address, such as %s, or move its VMs one at a time, such as `nova-plan state mv %s %s`",
			from, len(members), to, to.Fleet(), members[0], to)
	}
	if to.Fleet().Kind == addrs.KindVM {
		return nil, fmt.Errorf("%s is a fleet in the state, and %s is a vm block, which is one VM: move one of its VMs there, such as `nova-plan state mv %s %s`", from, to, members[0], to)
	}
	if st.VMs[to.String()] != nil {
		return nil, fmt.Errorf("the state already records %s, a fleet of one without keys: move or remove it first", to)
	}
	moves := make([]operation.Move, 0, len(members))
	var taken []string
	for _, m := range members {
		a, _ := addrs.ParseInstance(m) // the state's addresses are valid (state.Validate)
		mv := operation.Move{From: a, To: to.Fleet().Instance(a.Key())}
		if st.VMs[mv.To.String()] != nil {
			taken = append(taken, mv.To.String())
		}
		moves = append(moves, mv)
	}
	// The other VMs of to's fleet do not matter: a move that stopped
	// midway leaves the VMs it moved there (the state never records a VM
	// at two addresses), and the same `state mv` run again moves the rest.
	if len(taken) > 0 {
		return nil, fmt.Errorf("the state already records another VM at %s: move or remove it first", listed(taken))
	}
	return moves, nil
}

// fleetAddresses returns the addresses the state records in fleet f, in
// address order.
func fleetAddresses(st *state.State, f addrs.Fleet) []string {
	var out []string
	for addr, vm := range st.VMs {
		if vm.Fleet == f.String() && addr != f.String() {
			out = append(out, addr)
		}
	}
	addrs.SortStrings(out)
	return out
}

// listed names up to three addresses.
func listed(as []string) string {
	if len(as) > 3 {
		return strings.Join(as[:3], ", ") + fmt.Sprintf(" and %d more", len(as)-3)
	}
	return strings.Join(as, ", ")
}

// PlanMove plans the moves with the core: each VM's marker is rewritten to
// name its new address.
func (s *Session) PlanMove(ctx context.Context, moves []operation.Move) (*operation.Planned, hcl.Diagnostics) {
	return s.operation().PlanMove(ctx, moves)
}

// MoveOptions tune a move.
type MoveOptions struct {
	Events func(exec.Event)
	Stop   <-chan struct{}
}

// Move applies planned moves with the core: each VM's marker is rewritten,
// then the state records it at its new address, through one writer, as an
// apply records (so a move that stops midway leaves each VM where its
// marker says). Each moved VM gets a history record. When a whole fleet
// moved, the VMs that depended on it depend on its new address.
func (s *Session) Move(ctx context.Context, p *operation.Planned, o MoveOptions) (*exec.Result, error) {
	w := state.NewWriter(s.ws.Store, s.State)
	rec := &moveRecorder{Writer: w, from: map[string]string{}, who: Who()}
	for _, c := range p.Changes {
		rec.from[c.Address] = c.MovedFrom
	}
	res := s.operation().Apply(ctx, p, operation.ApplyOptions{Recorder: rec, Events: o.Events, Stop: o.Stop, RunID: NewID()})
	if res.OK() {
		renameDependencies(w, p)
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	err := w.Close(cctx)
	s.State = w.Snapshot()
	if err != nil {
		return res, s.saveFailed(err, s.State)
	}
	return res, nil
}

// moveRecorder is the state writer of a move: its history records say
// state mv, from where to where.
type moveRecorder struct {
	*state.Writer
	from map[string]string // new address → old
	who  string
}

func (r *moveRecorder) Record(rec state.HistoryRecord) {
	if rec.Kind == state.RecordAction {
		rec.Kind, rec.Operation, rec.Who = state.RecordStateMv, "state mv", r.who
		rec.Action = MoveActionPrefix + r.from[rec.Address]
	}
	r.Writer.Record(rec)
}

// renameDependencies rewrites, after a whole fleet moved, the depends_on of
// every VM that named its old address (what keeps deletes in order once
// the spec no longer names a fleet).
func renameDependencies(w *state.Writer, p *operation.Planned) {
	renamed := map[string]string{}
	for _, c := range p.Changes {
		old, _ := addrs.ParseInstance(c.MovedFrom)
		if old.Key() != addrs.NoKey {
			renamed[old.Fleet().String()] = c.Fleet
		}
	}
	st := w.Snapshot()
	for _, vm := range st.VMs {
		delete(renamed, vm.Fleet) // some of the fleet stays
	}
	if len(renamed) == 0 {
		return
	}
	for _, addr := range st.Addresses() {
		vm := st.VMs[addr]
		changed := false
		for i, dep := range vm.DependsOn {
			if to, ok := renamed[dep]; ok {
				vm.DependsOn[i], changed = to, true
			}
		}
		if changed {
			w.Set(addr, vm)
		}
	}
}
