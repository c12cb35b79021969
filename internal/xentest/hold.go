package xentest

import "strings"

// hold keeps the calls of one method waiting, unanswered.
type hold struct {
	waiting int           // calls waiting now
	drop    chan struct{} // closed by the release
}

// Hold makes the calls of method (its name without Async.) wait,
// unanswered, as a client killed in the middle of a run leaves them: a
// test kills the client, then calls release: the waiting calls are
// dropped unrun (their client is gone), and later calls run again. Close
// releases every hold. Held reports how many calls wait.
func (s *Server) Hold(method string) (release func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := &hold{drop: make(chan struct{})}
	s.holds[method] = h
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.holds[method] == h {
			close(h.drop)
			delete(s.holds, method)
		}
	}
}

// Held is how many calls of a held method are waiting.
func (s *Server) Held(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h := s.holds[method]; h != nil {
		return h.waiting
	}
	return 0
}

// waitHeld keeps a call of a held method waiting until its release, and
// reports whether the call was held (and so is dropped).
func (s *Server) waitHeld(name string) bool {
	base := strings.TrimPrefix(name, "Async.")
	s.mu.Lock()
	h := s.holds[base]
	if h != nil {
		s.calls[name]++
		h.waiting++
	}
	s.mu.Unlock()
	if h == nil {
		return false
	}
	<-h.drop
	s.mu.Lock()
	h.waiting--
	s.mu.Unlock()
	return true
}
