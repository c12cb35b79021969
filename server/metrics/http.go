package metrics

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

func newRequests() *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "nova_http_requests_total", Help: "HTTP requests by route pattern and status code.",
	}, []string{"route", "code"})
}

// unrouted is the route label of a request no pattern served: refused
// before routing (401), or matching no route (404).
const unrouted = "none"

// Middleware counts the requests next serves and times them, by route
// and status code. The route is the http.ServeMux pattern that served
// the request ("GET /api/v1/vms/{id}"), never its path, so the label's
// values are bounded by the routes. Middleware reads it from the request
// when next is the mux itself; when something between them passes the
// mux a copy of the request (as r.WithContext does), wrap the mux in
// Routes to carry the pattern back. A WebSocket is timed for as long as
// it is open.
func (m *Metrics) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		slot := &routeSlot{}
		r = r.WithContext(context.WithValue(r.Context(), routeKey{}, slot))
		rw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(rw, r)
		route := r.Pattern
		if route == "" {
			route = slot.pattern
		}
		if route == "" {
			route = unrouted
		}
		m.requests.WithLabelValues(route, strconv.Itoa(rw.code())).Inc()
		m.reqDuration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

// Routes serves mux and passes the pattern that served each request back
// to an enclosing Middleware.
func Routes(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r) // sets r.Pattern
		if slot, ok := r.Context().Value(routeKey{}).(*routeSlot); ok {
			slot.pattern = r.Pattern
		}
	})
}

type routeKey struct{}

// routeSlot carries the pattern from Routes back to Middleware; both run
// on the request's goroutine.
type routeSlot struct{ pattern string }

// statusWriter remembers the status code of an answer.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController and the WebSocket upgrade reach
// the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) code() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}
