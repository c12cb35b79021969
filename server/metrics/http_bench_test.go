package metrics

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkMiddleware is what counting and timing adds to a request
// behind the same stand-in authentication, in process, without a network.
func BenchmarkMiddleware(b *testing.B) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/vms/{id}", func(w http.ResponseWriter, r *http.Request) {})
	for _, tc := range []struct {
		name string
		h    http.Handler
	}{
		{"bare", authenticate(mux)},
		{"instrumented", New().Middleware(authenticate(Routes(mux)))},
	} {
		b.Run(tc.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/api/v1/vms/quickstart:fleet.web%5B0%5D", nil)
			req.Header.Set("Authorization", "Bearer x")
			w := httptest.NewRecorder()
			b.ReportAllocs()
			for b.Loop() {
				tc.h.ServeHTTP(w, req)
			}
		})
	}
}
