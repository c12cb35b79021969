package xentest

import (
	"encoding/json"
	"html"
)

// task is an async call in progress: it stays pending for a number of
// polls, then runs its method.
type task struct {
	rec    Task
	polls  int
	method string
	run    func() (any, *xerr)
}

// startTask records an async call and returns its task reference.
func (s *Server) startTask(name, base string, p *params, m method) string {
	ref := newRef()
	polls := s.opts.TaskPolls
	if base == "VM.clean_shutdown" && s.ignoreShutdown > 0 {
		s.ignoreShutdown--
		polls = 1 << 30 // the guest never shuts down
	}
	s.tasks[ref] = &task{
		rec:    Task{UUID: newUUID(), NameLabel: name, Status: "pending", ErrorInfo: []string{}},
		polls:  polls,
		method: base,
		run:    func() (any, *xerr) { return m.run(s, p) },
	}
	return ref
}

// poll advances a pending task by one poll, running it at the last.
func (s *Server) poll(t *task) {
	if t.rec.Status != "pending" {
		return
	}
	if t.polls > 0 {
		t.polls--
		t.rec.Progress = 0.5
		return
	}
	var out any
	xe := s.takeFault(t.method)
	if xe == nil {
		out, xe = t.run()
	}
	t.rec.Progress = 1
	if xe != nil {
		t.rec.Status = "failure"
		t.rec.ErrorInfo = append([]string{xe.code}, xe.params...)
		return
	}
	t.rec.Status = "success"
	t.rec.Result = taskResult(out)
}

// taskResult encodes a task's result as XAPI does: the value as an
// XML-RPC <value> fragment ("" for void).
func taskResult(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		if v == "" {
			return ""
		}
		return "<value>" + html.EscapeString(v) + "</value>"
	default:
		b, _ := json.Marshal(v)
		return "<value>" + html.EscapeString(string(b)) + "</value>"
	}
}

func init() {
	reg("task.get_record", "r", false, func(s *Server, p *params) (any, *xerr) {
		_, t, e := byRef(p, s.tasks, "task")
		if e != nil {
			return nil, e
		}
		s.poll(t)
		return t.rec, nil
	})
	reg("task.cancel", "r", false, func(s *Server, p *params) (any, *xerr) {
		_, t, e := byRef(p, s.tasks, "task")
		if e != nil {
			return nil, e
		}
		if t.rec.Status == "pending" {
			t.rec.Status = "cancelled"
		}
		return "", nil
	})
	reg("task.destroy", "r", false, func(s *Server, p *params) (any, *xerr) {
		ref, _, e := byRef(p, s.tasks, "task")
		if e != nil {
			return nil, e
		}
		delete(s.tasks, ref)
		return "", nil
	})
}
