package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"

	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/engine/workspace"
)

// paceGC sets the garbage collector's soft memory limit from the size of
// the estate a session plans or applies (vms): once its spec is loaded,
// before the state's records are read whole, and again once both are
// read; the limit only rises. Go's default pacing lets the heap grow to twice what was live at
// the last collection; a plan or apply of a large estate holds most of
// what it allocates until its end, so that doubling was most of its peak
// memory (docs/scale.md, "Memory"). The limit is per VM, above what the
// command keeps live, so that the collector runs a little more often near
// the end instead of all the time; the default pacing still applies below
// it.
//
// main sets it only when the environment sets neither GOGC nor GOMEMLIMIT:
// a user's choice always wins. In-process tests never set it.
var paceGC func(op string, vms int)

// Bytes of memory limit: a base for the process, and per VM of the larger
// of the spec's instances and the state's VMs; never below the floor, so
// that a small estate (whose heap is mostly the program's own) keeps Go's
// default pacing. A no-change plan of 100,000 VMs keeps about 62 MiB
// live at its peak (87 MiB before the state was decoded as it is read,
// 125 MiB before a fleet's instances shared one tags map), though the
// collector counts up to 85 MiB then (what a collection's own time
// allocates counts as live): that is what must stay under nine tenths of
// the limit (watchLimit); an apply that creates
// them about 140 MiB, with more garbage between collections. The margins
// above those (24 % and 62 %) keep the collector from running all the
// time on an estate whose VMs cost more (more tags, longer names); a
// lower limit saves little more memory for much more CPU (100 MiB for the
// plan: 1.14 s of user CPU instead of 0.84 s at 120 MiB, one run each),
// and one whose live heap passes nine tenths of it is doubled
// (watchLimit): at 800 bytes per VM a plan of 100,000 VMs keeps under
// that with some 5 MB to spare, which one plan in three or four did not
// (the plan then peaks near 170 MB instead of 153 MB).
const (
	gcLimitFloor    = 64 << 20
	gcLimitBase     = 32 << 20
	gcLimitPlanVM   = 800
	gcLimitChangeVM = 2048
)

// gcStartPercent is the GOGC of a process until its first collection in
// main. Go's default pacing starts with a 4 MiB heap goal and doubles the
// live heap from there, so a no-change plan of 10,000 VMs collected three
// times in its first 60 ms (at 4, 5 and 10 MB of heap) while it read its
// spec, state and inventory, of which it keeps most to its end. At 800
// the first goal is Go's minimum heap scaled alike, 32 MiB: that plan
// does not collect at all once main runs. After that first collection
// the default pacing returns (startGC), so a large estate's pacing, and
// its memory limit (paceGC), are as before.
const gcStartPercent = 800

// startGC raises GOGC to gcStartPercent until the next collection ends;
// main calls it, unless the environment paces the collector itself.
func startGC() {
	old := debug.SetGCPercent(gcStartPercent)
	runtime.SetFinalizer(&gcSentinel{}, func(*gcSentinel) { debug.SetGCPercent(old) })
}

// limitGC is paceGC in a real process.
func limitGC(op string, vms int) {
	per := int64(gcLimitPlanVM)
	if op == "apply" || op == "destroy" {
		per = gcLimitChangeVM
	}
	limit := max(gcLimitFloor, gcLimitBase+per*int64(vms))
	gcLimit.Lock()
	defer gcLimit.Unlock()
	if limit > gcLimit.bytes {
		gcLimit.bytes = limit
		debug.SetMemoryLimit(limit)
	}
	if !gcLimit.watched {
		gcLimit.watched = true
		watchLimit()
	}
}

// gcLimit is the memory limit limitGC set, or watchLimit raised.
var gcLimit struct {
	sync.Mutex
	bytes   int64
	watched bool // watchLimit runs
}

// watchLimit keeps the limit from making the collector run all the time
// when the estimate was too low (VMs with many or long tags keep several
// times the per-VM figure live): after each collection it raises the
// limit to what Go's default pacing would allow (twice the live heap)
// once the live heap passes nine tenths of it. A 50,000-VM estate of 20
// tags per VM took 1.2-1.4 times as long to plan under the fixed limit,
// for no saving of memory. The check runs on the runtime's finalizer
// goroutine, once per collection, for the life of the process.
func watchLimit() {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var check func(*gcSentinel)
	check = func(*gcSentinel) {
		metrics.Read(sample)
		if sample[0].Value.Kind() == metrics.KindUint64 {
			gcLimit.Lock()
			if next := nextLimit(gcLimit.bytes, int64(sample[0].Value.Uint64())); next != gcLimit.bytes {
				gcLimit.bytes = next
				debug.SetMemoryLimit(next)
			}
			gcLimit.Unlock()
		}
		runtime.SetFinalizer(&gcSentinel{}, check)
	}
	runtime.SetFinalizer(&gcSentinel{}, check)
}

// gcSentinel is garbage the moment it is made: its finalizer runs after
// the next collection. It holds a pointer so that it is never one of the
// tiny allocations several objects share, whose finalizers may not run.
type gcSentinel struct{ _ *byte }

// nextLimit is the memory limit after a collection that left live bytes
// live: unchanged while they stay under nine tenths of it, else twice
// them, Go's default pacing.
func nextLimit(limit, live int64) int64 {
	if live <= limit/10*9 {
		return limit
	}
	return max(limit, 2*live)
}

// sessionVMs is the larger of the number of the spec's instances and of
// the state's VMs.
func sessionVMs(s *workspace.Session) int {
	n := specVMs(s.Spec)
	if s.State != nil {
		n = max(n, len(s.State.VMs))
	}
	return n
}

// specVMs is the number of the spec's instances.
func specVMs(sp *spec.Spec) int {
	n := 0
	if sp != nil {
		for _, f := range sp.Fleets {
			n += len(f.Instances)
		}
	}
	return n
}

// userPacesGC reports whether environ sets GOGC or GOMEMLIMIT (to a
// value: the runtime takes an empty one for unset).
func userPacesGC(environ []string) bool {
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		if (name == "GOGC" || name == "GOMEMLIMIT") && value != "" {
			return true
		}
	}
	return false
}
