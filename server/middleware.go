package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/novacron/novacron/server/auth"
)

// recoverPanics turns a handler's panic into a 500 with a generic JSON
// body (when nothing was written yet), and logs it with its stack.
func recoverPanics(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rw := &recorder{ResponseWriter: w}
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			log.Error("panic serving a request", "method", r.Method, "route", r.Pattern, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if rw.status == 0 {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusInternalServerError)
				fmt.Fprintln(w, `{"error":{"code":"internal","message":"internal server error: the server's log has the details","diagnostics":[]}}`)
			}
		}()
		next.ServeHTTP(rw, r)
	})
}

// logRequests logs one line per request: method, route pattern, path
// (never the query string, never a header), status, size, duration, who
// and from where.
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rw := &recorder{ResponseWriter: w}
		next.ServeHTTP(rw, r)
		who := ""
		if p := auth.From(r.Context()); p != nil {
			who = p.Name
		}
		status := rw.status
		if status == 0 {
			status = http.StatusOK
		}
		log.Info("request", "method", r.Method, "route", r.Pattern, "path", r.URL.EscapedPath(), "status", status,
			"bytes", rw.bytes, "duration_ms", time.Since(start).Milliseconds(), "who", who, "client", r.RemoteAddr)
	})
}

// securityHeaders sets the headers every answer carries, and
// Strict-Transport-Security (a year) on those served over TLS.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		if r.TLS != nil { // HSTS means nothing over plain HTTP
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// recorder remembers the status and the size of an answer.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController (and the WebSocket upgrade) reach
// the connection.
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }
