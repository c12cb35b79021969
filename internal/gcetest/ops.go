package gcetest

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// operation is a zone operation: each get moves it a step, PENDING →
// RUNNING → DONE, and its effect is made (or its error decided) on the
// way to DONE.
type operation struct {
	wire   wireOperation
	effect func() *wireOpError // run with s.mu held
}

// newOp starts an operation; s.mu is held.
func (s *Server) newOp(zone, kind, target string, effect func() *wireOpError) wireOperation {
	s.seq++
	name := fmt.Sprintf("operation-%d-%s", s.seq, kind)
	op := &operation{effect: effect, wire: wireOperation{
		Kind: "compute#operation", ID: strconv.FormatUint(7000000000000000000+s.seq, 10), Name: name,
		Zone: s.zoneLink(zone), OperationType: kind, TargetLink: target, Status: "PENDING",
		InsertTime: time.Now().UTC().Format(time.RFC3339), SelfLink: s.zoneLink(zone) + "/operations/" + name,
	}}
	s.ops[zone+"/"+name] = op
	return op.wire
}

func (s *Server) getOperation(_ *http.Request, m []string) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	op, ok := s.ops[m[2]+"/"+m[3]]
	if !ok {
		return nil, notFound(fmt.Sprintf("projects/%s/zones/%s/operations/%s", s.Project, m[2], m[3]))
	}
	switch op.wire.Status {
	case "PENDING":
		op.wire.Status = "RUNNING"
	case "RUNNING":
		op.wire.Status, op.wire.Progress = "DONE", 100
		if e := op.effect(); e != nil {
			op.wire.Error = &wireOpErrors{Errors: []wireOpError{*e}}
		}
	}
	return op.wire, nil
}
