package exec

import (
	"context"
	"fmt"
	"runtime/debug"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/state"
)

// walker is one apply in progress. Only its run goroutine touches the graph
// bookkeeping; workers only run actions and report back on results.
type walker struct {
	ctx  context.Context
	stop <-chan struct{}
	e    *Executor
	opts Options
	g    *plan.Graph

	change     map[*plan.Change]int // change → index in the plan
	pending    []int                // unmet dependencies per node
	dependents [][]int
	settled    []bool // finished, failed or skipped
	result     *Result
	halted     map[string]bool // fleets whose rollout failed

	queues   map[string][]int // ready change nodes per provider
	provs    []string         // provider keys, for round-robin dispatch
	inflight map[string]int
	limits   map[string]int
	limiters map[string]*rate.Limiter

	running, total int
	done           atomic.Int64 // read by workers' retry events
	stopping       bool         // start nothing more
	interrupted    bool         // by stop or ctx (else by the Recorder's error)
	work           chan job
	results        chan jobResult
	eventMu        sync.Mutex
}

type job struct {
	node    int
	change  *plan.Change
	limiter *rate.Limiter
}

type jobResult struct {
	node     int
	err      error
	attempts int
	elapsed  time.Duration
}

func newWalker(ctx context.Context, stop <-chan struct{}, e *Executor, p *plan.Plan, g *plan.Graph) *walker {
	opts := e.Options.withDefaults()
	w := &walker{
		ctx: ctx, stop: stop, e: e, opts: opts, g: g,
		change:     make(map[*plan.Change]int, len(p.Changes)),
		pending:    make([]int, len(g.Nodes)),
		dependents: make([][]int, len(g.Nodes)),
		settled:    make([]bool, len(g.Nodes)),
		result:     &Result{Outcomes: make([]Outcome, len(p.Changes))},
		halted:     map[string]bool{},
		queues:     map[string][]int{}, inflight: map[string]int{},
		limits: map[string]int{}, limiters: map[string]*rate.Limiter{},
		total:   len(p.Changes),
		work:    make(chan job, opts.Parallelism),
		results: make(chan jobResult, opts.Parallelism),
	}
	for i, c := range p.Changes {
		w.change[c] = i
	}
	for i, deps := range g.Deps {
		w.pending[i] = len(deps)
		for _, d := range deps {
			w.dependents[d] = append(w.dependents[d], i)
		}
	}
	w.setupProviders(p)
	return w
}

// setupProviders lists the providers to dispatch to: every open driver,
// and every provider a change names without one, whose changes then fail
// in act rather than wait in a queue nothing reads.
func (w *walker) setupProviders(p *plan.Plan) {
	for _, c := range p.Changes {
		if key := c.Provider(); w.e.Drivers[key] == nil && !slices.Contains(w.provs, key) {
			w.provs = append(w.provs, key)
		}
	}
	for key, d := range w.e.Drivers {
		w.provs = append(w.provs, key)
		limit := w.opts.ProviderLimits[key]
		if limit <= 0 {
			limit = d.Capabilities().MaxParallel
		}
		w.limits[key] = limit
		if r := w.opts.RateLimits[key]; r > 0 {
			w.limiters[key] = rate.NewLimiter(rate.Limit(r), 1)
		}
	}
	sort.Strings(w.provs)
}

func (w *walker) run() *Result {
	var wg sync.WaitGroup
	for range w.opts.Parallelism {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each action's timeout context is a child of the worker's,
			// not of the run's, so that the workers do not all lock the
			// run's context to add and remove their children.
			ctx, cancel := context.WithCancel(w.ctx)
			defer cancel()
			for j := range w.work {
				w.results <- w.execute(ctx, j)
			}
		}()
	}
	for i := range w.g.Nodes {
		if w.pending[i] == 0 {
			w.ready(i)
		}
	}
	w.loop()
	close(w.work)
	wg.Wait()
	w.result.Interrupted = w.interrupted
	w.recordNotStarted()
	return w.result
}

// recordNotStarted writes an OutcomeInterrupted audit record for every change
// a stopped apply never started.
func (w *walker) recordNotStarted() {
	why := ""
	if !w.interrupted && w.result.StateErr != nil {
		why = "not started: state could not be saved"
	}
	for _, n := range w.g.Nodes {
		c := n.Change
		if c != nil && w.result.Outcomes[w.change[c]].Status == NotStarted {
			w.e.Recorder.Record(state.HistoryRecord{
				Kind: state.RecordAction, Time: time.Now().UTC(), RunID: w.opts.RunID,
				Address: c.Address, Action: c.Action.String(), Outcome: state.OutcomeInterrupted, Error: why,
			})
		}
	}
}

// loop dispatches ready work and collects results until nothing runs.
func (w *walker) loop() {
	stop, hard := w.stop, w.ctx.Done()
	w.dispatch()
	for w.running > 0 {
		select {
		case r := <-w.results:
			w.finish(r)
		case <-stop:
			stop, w.stopping, w.interrupted = nil, true, true
		case <-hard:
			hard, w.stopping, w.interrupted = nil, true, true
		}
		w.dispatch()
	}
}

// ready handles a node whose dependencies are all met: a barrier completes
// at once; a change queues for its provider, or is skipped if its fleet
// halted.
func (w *walker) ready(i int) {
	c := w.g.Nodes[i].Change
	switch {
	case c == nil:
		w.complete(i)
	case w.halted[c.Fleet]:
		w.skip(i, fmt.Sprintf("fleet %s halted after a rollout batch failed", c.Fleet))
	default:
		w.queues[c.Provider()] = append(w.queues[c.Provider()], i)
	}
}

// dispatch starts queued changes, round-robin over providers, within the
// global and per-provider limits.
func (w *walker) dispatch() {
	w.noticeStop()
	for progress := true; progress && !w.stopping && w.running < w.opts.Parallelism; {
		progress = false
		for _, key := range w.provs {
			q := w.queues[key]
			if len(q) == 0 || w.running >= w.opts.Parallelism || (w.limits[key] > 0 && w.inflight[key] >= w.limits[key]) {
				continue
			}
			i := q[0]
			w.queues[key] = q[1:]
			c := w.g.Nodes[i].Change
			if w.halted[c.Fleet] {
				w.skip(i, fmt.Sprintf("fleet %s halted after a rollout batch failed", c.Fleet))
				progress = true
				continue
			}
			w.inflight[key]++
			w.running++
			w.emit(Event{Kind: EventStarted, Change: c, Attempt: 1})
			w.work <- job{node: i, change: c, limiter: w.limiters[key]}
			progress = true
		}
	}
}

// noticeStop sets stopping when stop is closed or ctx done, even if the
// loop has not selected on them yet: a result handled first (or a stop
// closed by an Events callback) must not let one more change start. It also
// stops when the Recorder can no longer save state: a change started then
// would make a VM that no state records.
func (w *walker) noticeStop() {
	select {
	case <-w.stop:
		w.stopping, w.interrupted = true, true
	default:
	}
	if w.ctx.Err() != nil {
		w.stopping, w.interrupted = true, true
	}
	if w.result.StateErr == nil {
		if err := w.e.Recorder.Err(); err != nil {
			w.result.StateErr, w.stopping = err, true
		}
	}
}

func (w *walker) finish(r jobResult) {
	c := w.g.Nodes[r.node].Change
	w.running--
	w.inflight[c.Provider()]--
	w.done.Add(1)
	idx := w.change[c]
	w.history(c, r.err, "")
	if r.err == nil {
		w.result.Outcomes[idx] = Outcome{Status: Succeeded, Attempts: r.attempts}
		w.emit(Event{Kind: EventSucceeded, Change: c, Attempt: r.attempts, Elapsed: r.elapsed})
		w.complete(r.node)
		return
	}
	w.result.Outcomes[idx] = Outcome{Status: Failed, Err: r.err, Attempts: r.attempts}
	w.emit(Event{Kind: EventFailed, Change: c, Attempt: r.attempts, Err: r.err, Elapsed: r.elapsed})
	w.settled[r.node] = true
	if c.Batch > 0 {
		w.halted[c.Fleet] = true
	}
	for _, d := range w.dependents[r.node] {
		w.skip(d, fmt.Sprintf("%s (%s) failed", c.Address, c.Action))
	}
}

// complete marks a node done and readies dependents with no unmet deps.
func (w *walker) complete(i int) {
	w.settled[i] = true
	for _, d := range w.dependents[i] {
		w.pending[d]--
		if w.pending[d] == 0 && !w.settled[d] {
			w.ready(d)
		}
	}
}

// skip marks a node and everything that depends on it as skipped.
func (w *walker) skip(i int, reason string) {
	if w.settled[i] {
		return
	}
	w.settled[i] = true
	if c := w.g.Nodes[i].Change; c != nil {
		w.done.Add(1)
		w.result.Outcomes[w.change[c]] = Outcome{Status: Skipped, Reason: reason}
		w.history(c, nil, reason)
		w.emit(Event{Kind: EventSkipped, Change: c, Reason: reason})
	}
	for _, d := range w.dependents[i] {
		w.skip(d, reason)
	}
}

// execute runs one change with retries, on a worker goroutine.
func (w *walker) execute(ctx context.Context, j job) (res jobResult) {
	start := time.Now()
	res.node = j.node
	defer func() {
		if p := recover(); p != nil {
			res.err = driver.Errorf(driver.KindPermanent, "internal error applying %s: %v\n%s", j.change.Address, p, debug.Stack())
		}
		res.elapsed = time.Since(start)
	}()
	res.attempts, res.err = w.opts.Retry.retry(ctx, func(attempt int) error {
		ctx, cancel := context.WithTimeout(ctx, w.opts.Timeout)
		defer cancel()
		return w.e.act(ctx, j.change, attempt, j.limiter)
	}, func(attempt int, err error) {
		w.emit(Event{Kind: EventRetrying, Change: j.change, Attempt: attempt + 1, Err: err})
	})
	return res
}

// emit delivers an event; workers and the run goroutine both emit, so the
// mutex keeps calls one at a time.
func (w *walker) emit(ev Event) {
	if w.e.Events == nil {
		return
	}
	w.eventMu.Lock()
	defer w.eventMu.Unlock()
	ev.Done, ev.Total = int(w.done.Load()), w.total
	w.e.Events(ev)
}

// history records a finished or skipped change in the audit log.
func (w *walker) history(c *plan.Change, err error, skipped string) {
	rec := state.HistoryRecord{
		Kind: state.RecordAction, Time: time.Now().UTC(), RunID: w.opts.RunID,
		Address: c.Address, Action: c.Action.String(), Outcome: state.OutcomeOK,
	}
	if c.Action == plan.Move && c.MovedFrom != "" {
		rec.Action = "move from " + c.MovedFrom // as state mv records it
	}
	switch {
	case skipped != "":
		rec.Outcome, rec.Error = state.OutcomeSkipped, skipped
	case err != nil:
		rec.Outcome, rec.Error = state.OutcomeFailed, err.Error()
	}
	w.e.Recorder.Record(rec)
}
