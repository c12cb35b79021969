package xen

import (
	"context"
	"html"
	"strings"
	"time"

	"github.com/novacron/novacron/engine/driver"
)

// async calls Async.<method> and waits for its task: read after a quarter
// of poll_interval, then at doubling delays up to 4 times poll_interval,
// for at most wait_timeout. The
// task record is destroyed afterwards. It returns the task's result (a
// reference, for clone and copy).
func (d *Driver) async(ctx context.Context, method string, args ...any) (string, error) {
	var task string
	if err := d.c.call(ctx, "Async."+method, &task, args...); err != nil {
		return "", err
	}
	defer d.forget(task)
	return d.wait(ctx, method, task, d.cfg.waitTimeout)
}

// wait polls a task until it ends or the timeout passes (then it is
// cancelled).
func (d *Driver) wait(ctx context.Context, method, task string, timeout time.Duration) (string, error) {
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	delay := max(d.cfg.poll/4, time.Millisecond)
	for {
		var t taskRecord
		if err := d.c.call(wctx, "task.get_record", &t, task); err != nil {
			if wctx.Err() != nil && ctx.Err() == nil { // the timeout ran out during the call
				d.cancel(task)
				return "", &timeoutError{method: method, after: timeout}
			}
			return "", err
		}
		switch t.Status {
		case "success":
			return taskResult(t.Result), nil
		case "failure":
			e := &apiError{Method: "Async." + method}
			if len(t.ErrorInfo) > 0 {
				e.Code, e.Params = t.ErrorInfo[0], t.ErrorInfo[1:]
			}
			return "", e
		case "cancelled", "cancelling":
			return "", driver.Errorf(driver.KindTransient, "XenAPI task of %s was cancelled", method)
		}
		select {
		case <-wctx.Done():
			d.cancel(task)
			if ctx.Err() != nil {
				return "", driver.Wrap(driver.KindTransient, ctx.Err())
			}
			return "", &timeoutError{method: method, after: timeout}
		case <-time.After(delay):
		}
		delay = min(delay*2, 4*d.cfg.poll)
	}
}

// timeoutError is a task that did not end in time.
type timeoutError struct {
	method string
	after  time.Duration
}

func (e *timeoutError) Error() string {
	return "XenAPI task of " + e.method + " did not end within " + e.after.String()
}

func (e *timeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

// cancel asks XAPI to cancel a task, best effort.
func (d *Driver) cancel(task string) {
	ctx, stop := context.WithTimeout(context.Background(), 10*time.Second)
	defer stop()
	d.c.call(ctx, "task.cancel", nil, task)
}

// forget destroys a task record, best effort: XAPI keeps finished tasks
// otherwise.
func (d *Driver) forget(task string) {
	ctx, stop := context.WithTimeout(context.Background(), 10*time.Second)
	defer stop()
	d.c.call(ctx, "task.destroy", nil, task)
}

// taskResult is a task's result: XAPI gives it as an XML-RPC <value>
// fragment ("<value>OpaqueRef:…</value>"), or plain.
func taskResult(s string) string {
	s = strings.TrimSpace(s)
	if v, ok := strings.CutPrefix(s, "<value>"); ok {
		s = strings.TrimSuffix(v, "</value>")
	}
	return html.UnescapeString(s)
}
