package ec2test

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// apiVersion is the one EC2 API version served.
const apiVersion = "2016-11-15"

// maxBody bounds a request body (RunInstances with 16 KB of user data
// in base64 fits).
const maxBody = 1 << 20

// ServeHTTP answers one EC2 Query API call.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	requestID := randomUUID()
	action, result, delay, err := s.serve(r)
	if delay > 0 {
		wait(r.Context(), delay)
	}
	if err != nil {
		writeError(w, requestID, err)
		return
	}
	out, merr := encodeResponse(action, requestID, result)
	if merr != nil {
		writeError(w, requestID, apiErr("InternalError", "encoding the answer: %v", merr))
		return
	}
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	w.Write(out)
}

// serve reads, authenticates and runs a call.
func (s *Server) serve(r *http.Request) (action string, result any, delay time.Duration, err *apiError) {
	if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		return "", nil, 0, apiErr("InvalidRequest", "ec2test serves form-encoded POSTs of the Query API only, not %s %s", r.Method, r.Header.Get("Content-Type"))
	}
	body, rerr := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if rerr != nil || len(body) > maxBody {
		return "", nil, 0, apiErr("InvalidRequest", "the request body cannot be read or is over %d bytes", maxBody)
	}
	if err := s.authenticate(r, body); err != nil {
		return "", nil, 0, err
	}
	form, perr := url.ParseQuery(string(body))
	if perr != nil {
		return "", nil, 0, apiErr("InvalidRequest", "the request body is not a form: %v", perr)
	}
	action = form.Get("Action")
	if v := form.Get("Version"); v != apiVersion {
		return action, nil, 0, apiErr("InvalidParameterValue", "ec2test serves API version %s, not %q", apiVersion, v)
	}
	result, delay, err = s.call(action, newParams(form))
	return action, result, delay, err
}

// call runs an action: injected faults first, then its parameters are
// read, then (when every one was known) it runs under the lock.
func (s *Server) call(action string, p *params) (any, time.Duration, *apiError) {
	run, ok := actions[action]
	if !ok {
		return nil, 0, apiErr("InvalidAction", "The action %s is not valid for this web service.", action)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[action]++
	if s.now().Before(s.throttleUntil) {
		s.throttled++
		return nil, 0, apiErr("RequestLimitExceeded", "Request limit exceeded.")
	}
	if f := s.faults[action]; len(f) > 0 {
		s.faults[action] = f[1:]
		return nil, 0, apiErr(f[0].Code, "%s", f[0].Message)
	}
	do, err := run(s, p)
	if err == nil {
		if unknown := p.unused(); len(unknown) > 0 {
			err = apiErr("UnknownParameter", "The parameter %s is not recognized (ec2test serves only what NovaCron's driver may send)", unknown[0])
		}
	}
	if err != nil {
		return nil, 0, err
	}
	var delay time.Duration
	if d := s.delays[action]; len(d) > 0 {
		delay, s.delays[action] = d[0], d[1:]
	}
	result, err := do()
	return result, delay, err
}

// wait sleeps for d or until the client gives up.
func wait(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// writeError writes EC2's error document.
func writeError(w http.ResponseWriter, requestID string, err *apiError) {
	out, _ := xml.Marshal(errorResponse{Errors: []errXML{{err.Code, err.Message}}, RequestID: requestID})
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.WriteHeader(err.Status)
	w.Write(append([]byte(xml.Header), out...))
}

// randomUUID is a request ID.
func randomUUID() string {
	h := randomHex(16)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
