package estate

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/engine/jsonformat"
	"github.com/novacron/novacron/engine/operation"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/engine/workspace"
)

// job is a run to execute: the session it needs and how it makes its
// plan once it holds the workspace's lock.
type job struct {
	space          *space
	who, op        string
	planID, digest string
	dir            string // the spec folder; "" for the workspace's own
	vars           []spec.VarArg
	// prepare makes the plan to apply, in the session.
	prepare func(ctx context.Context, sess *session) (*operation.Planned, error)
	// edit, when set, edits the API file once the run holds the state
	// lock, before the spec is loaded; it returns the edit's undo.
	edit func() (func(), error)
	// undo, when set, is called when the run ends without a plan (the
	// API file's edit is taken back).
	undo func()
	// cleanup, when set, is called when the run ends.
	cleanup func()
}

// errClosing refuses a run once Close began.
var errClosing = errors.New("the server is shutting down")

// start registers the job's run, queued, and runs it on the estate's own
// context; Close waits for it. Once Close began it refuses the job, and
// undoes and cleans up after it.
func (e *Estate) start(j *job) (*Run, error) {
	e.closeMu.Lock()
	if e.closed {
		e.closeMu.Unlock()
		j.undone()
		if j.cleanup != nil {
			j.cleanup()
		}
		return nil, errClosing
	}
	e.wg.Add(1)
	e.closeMu.Unlock()
	r := &runState{done: make(chan struct{}), run: Run{
		ID: workspace.NewID(), Workspace: j.space.name, Who: j.who, Operation: j.op,
		PlanID: j.planID, PlanDigest: j.digest, Status: RunQueued, Started: time.Now().UTC(),
		Summary: map[string]int{}, Failed: []FailedChange{},
	}}
	e.runs.add(r)
	go e.execute(j, r)
	out := r.snapshot()
	return &out, nil
}

// execute runs the job and finishes its run.
func (e *Estate) execute(j *job, r *runState) {
	defer e.wg.Done()
	began := time.Now()
	err := e.runSafely(j, r)
	now := time.Now().UTC()
	r.update(func(run *Run) {
		run.Finished, run.Status = &now, RunSucceeded
		if err != nil {
			run.Status, run.Error = RunFailed, hidePaths(err.Error())
		}
	})
	run := r.snapshot()
	e.emit(Event{Type: "run_finished", RunID: run.ID, Workspace: run.Workspace, Status: run.Status, Error: run.Error,
		Done: countDone(run), Total: planTotal(run)})
	if e.o.Observer != nil {
		e.o.Observer.RunFinished(&run, time.Since(began))
	}
	close(r.done)
}

// runSafely is runJob with a panic turned into the run's error: a bug
// fails the run, not the server. The panic's value is not shown, as it
// could quote anything.
func (e *Estate) runSafely(j *job, r *runState) (err error) {
	defer func() {
		if recover() != nil {
			err = errors.New("internal error: the run stopped on a bug in the server; the history and state say what it did")
		}
	}()
	return e.runJob(j, r)
}

// runJob takes the workspace's lock, makes the plan, checks it against
// the workspace's policies and applies it, then reads the inventory again
// for the listing.
func (e *Estate) runJob(j *job, r *runState) error {
	if j.cleanup != nil {
		defer j.cleanup()
	}
	o := e.beginOptions(j.op, j.who, j.vars)
	var editErr error
	if j.edit != nil {
		o.Locked = func() error {
			j.undo, editErr = j.edit()
			return editErr
		}
	}
	sess, err := j.space.begin(e.quit, j.dir, o, e.o.LockTimeout)
	if editErr != nil {
		return e.beforeStart(editErr)
	}
	if err != nil {
		j.undone()
		return e.beforeStart(err)
	}
	defer sess.close()
	p, err := j.prepare(e.quit, sess)
	if err == nil {
		_, err = j.space.checkPolicies(e.quit, sess, p.Plan)
	}
	if err != nil {
		j.undone()
		return e.beforeStart(err)
	}
	doc := jsonformat.PlanDocument(p.Plan)
	r.update(func(run *Run) {
		run.Status, run.Plan = RunRunning, &doc
		if run.PlanDigest == "" {
			run.PlanDigest = workspace.Digest(p.Plan)
		}
	})
	e.emit(Event{Type: "run_started", RunID: r.run.ID, Workspace: j.space.name, Status: RunRunning, Total: len(p.Changes)})
	res, err := sess.Apply(e.applyCtx, p, workspace.ApplyOptions{Operation: j.op, Events: e.changeEvents(r, j.space.name), Stop: e.stop, RunID: r.run.ID})
	rctx, cancel := context.WithTimeout(e.applyCtx, time.Minute)
	defer cancel()
	_ = e.record(rctx, j.space, sess) // a failed read is the workspace's error
	return outcomeError(res, err)
}

// beforeStart is the error of a run that ended before it changed
// anything: when Close stopped it, that says so.
func (e *Estate) beforeStart(err error) error {
	if e.quit.Err() != nil {
		return errors.New("the server is shutting down: the run stopped before it changed anything")
	}
	return err
}

func (j *job) undone() {
	if j.undo != nil {
		j.undo()
	}
}

// outcomeError is why an apply did not succeed; nil when it did.
func outcomeError(res *exec.Result, err error) error {
	switch {
	case err != nil:
		return err
	case res.Interrupted:
		return fmt.Errorf("interrupted: the server is shutting down; %d of %d changes were not started", res.Count(exec.NotStarted), len(res.Outcomes))
	case !res.OK():
		return fmt.Errorf("%d of %d changes failed, %d skipped", res.Count(exec.Failed), len(res.Outcomes), res.Count(exec.Skipped))
	}
	return nil
}

// emit sends an event to Options.Events, stamped with the time.
func (e *Estate) emit(ev Event) {
	if e.o.Events == nil {
		return
	}
	ev.Time = time.Now().UTC()
	e.o.Events(ev)
}

// eventTypes are the executor's event kinds as Event.Type.
var eventTypes = map[exec.EventKind]string{
	exec.EventStarted: "change_started", exec.EventRetrying: "change_retrying", exec.EventSucceeded: "change_succeeded",
	exec.EventFailed: "change_failed", exec.EventSkipped: "change_skipped",
}

// outcomes are the finished events' kinds as Observer.ChangeFinished's
// outcome.
var outcomes = map[exec.EventKind]string{exec.EventSucceeded: "succeeded", exec.EventFailed: "failed", exec.EventSkipped: "skipped"}

// changeEvents passes the executor's events on (their errors are redacted
// by the engine) and counts the run's finished changes.
func (e *Estate) changeEvents(r *runState, ws string) func(exec.Event) {
	return func(ev exec.Event) {
		action := ev.Change.Action.String()
		out := Event{Type: eventTypes[ev.Kind], RunID: r.run.ID, Workspace: ws, Address: ev.Change.Address, Action: action, Done: ev.Done, Total: ev.Total}
		if ev.Err != nil {
			out.Error = ev.Err.Error()
		} else if ev.Reason != "" {
			out.Error = ev.Reason
		}
		r.update(func(run *Run) {
			switch ev.Kind {
			case exec.EventSucceeded:
				run.Summary[action]++
			case exec.EventFailed:
				run.Failed = append(run.Failed, FailedChange{Address: ev.Change.Address, Action: action, Error: out.Error})
			}
		})
		if outcome, ok := outcomes[ev.Kind]; ok && e.o.Observer != nil {
			e.o.Observer.ChangeFinished(action, outcome)
		}
		e.emit(out)
	}
}

func countDone(r Run) int {
	n := len(r.Failed)
	for _, v := range r.Summary {
		n += v
	}
	return n
}

func planTotal(r Run) int {
	if r.Plan == nil {
		return 0
	}
	return len(r.Plan.Changes)
}
