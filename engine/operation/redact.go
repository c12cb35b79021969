package operation

import (
	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/engine/secret"
	"github.com/novacron/novacron/state"
)

// Drivers may quote what they were given (a URI, a pool, a kernel path,
// user data) in their errors, and those errors reach the terminal, the
// audit history, events and Terraform's diagnostics. The core removes the
// spec's sensitive values (spec.Spec.Redactor) from every driver error it
// passes on: an inventory read's, and an apply's — its events, the history
// records the Recorder gets, and the outcomes OutcomeDiagnostics reads.

// redactor is the operation's Redactor; nil (nothing to hide) without a
// spec.
func (o *Operation) redactor() *secret.Redactor { return o.Spec.Redactor() }

// redactError returns err with the sensitive values removed from its
// message, keeping its driver error kind.
func redactError(r *secret.Redactor, err error) error {
	red := r.Error(err)
	if red == err {
		return err
	}
	return driver.Wrap(driver.KindOf(err), red)
}

// redactingRecorder is the face's Recorder, receiving history records
// without sensitive values.
type redactingRecorder struct {
	exec.Recorder
	r *secret.Redactor
}

// Abandon passes on to the face's Recorder (exec.Abandoner): a forget
// must reach it through the redacting wrapper.
func (rr redactingRecorder) Abandon(ref state.Ref) {
	if ab, ok := rr.Recorder.(exec.Abandoner); ok {
		ab.Abandon(ref)
	}
}

func (rr redactingRecorder) Record(rec state.HistoryRecord) {
	rec.Error = rr.r.String(rec.Error)
	rr.Recorder.Record(rec)
}

// redactOptions makes an apply's history records and events free of
// sensitive values.
func redactOptions(r *secret.Redactor, opts ApplyOptions) ApplyOptions {
	if r == nil {
		return opts
	}
	opts.Recorder = redactingRecorder{Recorder: opts.Recorder, r: r}
	if events := opts.Events; events != nil {
		opts.Events = func(ev exec.Event) {
			ev.Err, ev.Reason = redactError(r, ev.Err), r.String(ev.Reason)
			events(ev)
		}
	}
	return opts
}

// redactResult removes sensitive values from an apply's outcomes.
func redactResult(r *secret.Redactor, res *exec.Result) *exec.Result {
	if r == nil {
		return res
	}
	for i, o := range res.Outcomes {
		res.Outcomes[i].Err, res.Outcomes[i].Reason = redactError(r, o.Err), r.String(o.Reason)
	}
	res.StateErr = r.Error(res.StateErr)
	return res
}
