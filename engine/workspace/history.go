package workspace

import (
	"context"
	"strings"
	"time"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/state"
)

// HistoryFilter selects audit records; its zero value selects them all.
type HistoryFilter struct {
	// Since and Until bound the records' time (inclusive); zero: no bound.
	Since, Until time.Time
	// Address selects the records of one VM, or of every VM of a fleet
	// when it names a fleet (fleet.web): the records at it, and those of
	// VMs moved away from it.
	Address string
	// RunID selects the records of one run.
	RunID string
}

// History returns the workspace's audit records that f selects, oldest
// first. The records of an apply's actions and end, which do not repeat
// who ran it and which operation it was, are given those of its start
// record.
func (w *Workspace) History(ctx context.Context, f HistoryFilter) ([]state.HistoryRecord, error) {
	all, err := w.Store.History(ctx)
	if err != nil {
		return nil, err
	}
	fillFromStart(all)
	out := all[:0]
	for _, r := range all {
		if f.selects(r) {
			out = append(out, r)
		}
	}
	return out, nil
}

func (f HistoryFilter) selects(r state.HistoryRecord) bool {
	switch {
	case !f.Since.IsZero() && r.Time.Before(f.Since):
		return false
	case !f.Until.IsZero() && r.Time.After(f.Until):
		return false
	case f.RunID != "" && r.RunID != f.RunID:
		return false
	case f.Address != "":
		from, moved := strings.CutPrefix(r.Action, MoveActionPrefix)
		return underAddress(r.Address, f.Address) || (moved && underAddress(from, f.Address))
	}
	return true
}

// underAddress reports whether addr is filter, or a VM of the fleet or
// module filter names.
func underAddress(addr, filter string) bool {
	if addr == "" {
		return false
	}
	if addr == filter {
		return true
	}
	if m, err := addrs.ParseModule(filter); err == nil {
		return m.Contains(addr)
	}
	a, err := addrs.ParseInstance(addr)
	return err == nil && a.Key() != addrs.NoKey && a.Fleet().String() == filter
}

// fillFromStart gives each record without a Who or Operation those of its
// run's start record.
func fillFromStart(recs []state.HistoryRecord) {
	starts := map[string]state.HistoryRecord{}
	for i, r := range recs {
		if r.Kind == state.RecordStart {
			starts[r.RunID] = r
			continue
		}
		if s, ok := starts[r.RunID]; ok {
			if r.Who == "" {
				recs[i].Who = s.Who
			}
			if r.Operation == "" {
				recs[i].Operation = s.Operation
			}
		}
	}
}
