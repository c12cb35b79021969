package xentest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// request is a JSON-RPC 2.0 call as XenAPI takes it.
type request struct {
	JSONRPC string            `json:"jsonrpc"`
	Method  string            `json:"method"`
	Params  []json.RawMessage `json:"params"`
	ID      json.RawMessage   `json:"id"`
}

// xerr is a XenAPI error: a code and its parameters.
type xerr struct {
	code   string
	params []string
}

func fail(code string, params ...string) *xerr { return &xerr{code: code, params: params} }

// rpcError is the error member of a JSON-RPC 2.0 answer.
type rpcError struct {
	Code    int      `json:"code"`
	Message string   `json:"message"`
	Data    []string `json:"data"`
}

// ServeHTTP answers one JSON-RPC call on POST /jsonrpc. A malformed
// request gets XAPI's HTTP 500 page, and is recorded as unexpected.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var req request
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	switch err := dec.Decode(&req); {
	case r.Method != http.MethodPost || r.URL.Path != "/jsonrpc":
		s.malformed(w, fmt.Sprintf("%s %s", r.Method, r.URL.Path))
		return
	case err != nil:
		s.malformed(w, "undecodable request: "+err.Error())
		return
	case req.JSONRPC != "2.0" || len(req.ID) == 0 || string(req.ID) == "null" || req.Params == nil:
		s.malformed(w, "request without jsonrpc 2.0, id or params: "+string(body))
		return
	case !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json"):
		s.malformed(w, "Content-Type "+r.Header.Get("Content-Type"))
		return
	}
	result, xe := s.call(req.Method, req.Params)
	answer := map[string]any{"jsonrpc": "2.0", "id": req.ID}
	if xe != nil {
		answer["error"] = rpcError{Code: 1, Message: xe.code, Data: append([]string{}, xe.params...)}
	} else {
		answer["result"] = result
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(answer)
}

// malformed answers as XAPI does a request it cannot parse.
func (s *Server) malformed(w http.ResponseWriter, what string) {
	s.mu.Lock()
	s.unexpected = append(s.unexpected, what)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprint(w, "<html><body><h1>HTTP 500 internal server error</h1>An unexpected error occurred; please wait a while and try again.</body></html>")
}

// call runs one method under the lock.
func (s *Server) call(name string, raw []json.RawMessage) (any, *xerr) {
	if s.waitHeld(name) {
		return nil, fail("INTERNAL_ERROR", "xentest: "+name+" was held and dropped")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[name]++
	base, async := strings.CutPrefix(name, "Async.")
	m, ok := methods[base]
	if !ok || (async && !m.async) {
		s.unexpected = append(s.unexpected, "unknown method "+name)
		return nil, fail("MESSAGE_METHOD_UNKNOWN", name)
	}
	want := len(m.kinds)
	if m.session {
		want++
	}
	if len(raw) != want && !(base == "session.login_with_password" && len(raw) >= 2 && len(raw) <= 4) {
		s.unexpected = append(s.unexpected, fmt.Sprintf("%s with %d parameters", name, len(raw)))
		return nil, fail("MESSAGE_PARAMETER_COUNT_MISMATCH", name, fmt.Sprint(want), fmt.Sprint(len(raw)))
	}
	p := &params{raw: raw}
	if m.session {
		if ref := p.str(0); !s.sessions[ref] {
			return nil, fail("SESSION_INVALID", ref)
		}
		p.raw, p.session = raw[1:], p.str(0)
	}
	if xe := p.check(name, m.kinds); xe != nil {
		s.unexpected = append(s.unexpected, fmt.Sprintf("%s: %v", name, xe.params))
		return nil, xe
	}
	if async {
		b, _ := json.Marshal(s.startTask(name, base, p, m))
		return json.RawMessage(b), nil
	}
	if f := s.takeFault(base); f != nil {
		return nil, f
	}
	out, xe := m.run(s, p)
	if xe != nil {
		if xe.code == "FIELD_TYPE_ERROR" {
			s.unexpected = append(s.unexpected, fmt.Sprintf("%s: %v", name, xe.params))
		}
		return nil, xe
	}
	b, _ := json.Marshal(out) // under the lock: records share maps with the model
	return json.RawMessage(b), nil
}

// takeFault returns and forgets the next injected fault of a method.
func (s *Server) takeFault(method string) *xerr {
	q := s.faults[method]
	if len(q) == 0 {
		return nil
	}
	s.faults[method] = q[1:]
	return fail(q[0].Code, q[0].Params...)
}

// method is one XenAPI method the server serves.
type method struct {
	session bool   // the first parameter is a session reference
	kinds   string // of the parameters after the session, one letter each
	async   bool   // also served as Async.<name>
	run     func(s *Server, p *params) (any, *xerr)
}

// params decodes positional parameters; the first type error is kept.
type params struct {
	raw     []json.RawMessage
	session string
	bad     error
}

func (p *params) decode(i int, v any) {
	if err := json.Unmarshal(p.raw[i], v); err != nil && p.bad == nil {
		p.bad = fmt.Errorf("parameter %d: %v", i+1, err)
	}
}

// check decodes each parameter as its kind: r a reference
// ("OpaqueRef:…"), s a string, i an int (a JSON number), b a bool, m a
// map of strings, l a list of strings, o an object.
func (p *params) check(method, kinds string) *xerr {
	for i, raw := range p.raw {
		var ok bool
		switch k := kinds[min(i, len(kinds)-1)]; k {
		case 'r':
			var v string
			ok = json.Unmarshal(raw, &v) == nil && strings.HasPrefix(v, "OpaqueRef:")
		case 's':
			var v string
			ok = json.Unmarshal(raw, &v) == nil
		case 'i':
			var v int64
			ok = json.Unmarshal(raw, &v) == nil
		case 'b':
			var v bool
			ok = json.Unmarshal(raw, &v) == nil
		case 'm':
			var v map[string]string
			ok = json.Unmarshal(raw, &v) == nil && v != nil
		case 'l':
			var v []string
			ok = json.Unmarshal(raw, &v) == nil && v != nil
		case 'o':
			var v map[string]any
			ok = json.Unmarshal(raw, &v) == nil && v != nil
		}
		if !ok {
			return fail("FIELD_TYPE_ERROR", method, fmt.Sprintf("parameter %d: %s", i+1, raw))
		}
	}
	return nil
}

// err is the FIELD_TYPE_ERROR of the first parameter that did not decode.
func (p *params) err() *xerr {
	if p.bad == nil {
		return nil
	}
	return fail("FIELD_TYPE_ERROR", p.bad.Error())
}

func (p *params) str(i int) string { var v string; p.decode(i, &v); return v }
func (p *params) int(i int) int64  { var v int64; p.decode(i, &v); return v }
func (p *params) bool(i int) bool  { var v bool; p.decode(i, &v); return v }
func (p *params) strMap(i int) map[string]string {
	var v map[string]string
	p.decode(i, &v)
	if v == nil {
		v = map[string]string{}
	}
	return v
}
